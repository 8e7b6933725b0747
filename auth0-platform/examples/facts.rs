//! Prints the Auth0 facts JSON that the harness hands its JavaScript, for the Node 22 runners of
//! the scripts (`ACTIONKIT_AUTH0_FACTS="$(cargo run -q -p auth0-platform --example facts)"`).

fn main() {
    println!("{}", auth0_platform::runtime_facts_json());
}
