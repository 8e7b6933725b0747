//! A fake Auth0 Management API on 127.0.0.1 to try `actionkit deploy` and `actionkit doctor`
//! by hand, with one foreign Action already in the post-login flow:
//!
//! ```sh
//! cargo run -p fake-tenant --example fake-tenant -- 8080
//! AUTH0_DOMAIN=http://127.0.0.1:8080 AUTH0_CLIENT_ID=fake-client-id \
//!   AUTH0_CLIENT_SECRET=fake-client-secret actionkit deploy examples/express-configure --apply
//! ```

use fake_tenant::{FakeConfig, FakeTenant};

fn main() -> std::io::Result<()> {
    let port = match std::env::args().nth(1) {
        Some(arg) => arg.parse().map_err(|_| std::io::Error::other(format!("not a port: {arg}")))?,
        None => 8080,
    };
    let config = FakeConfig::default();
    let fake = FakeTenant::start_on(port, config.clone())?;
    fake.with(|t| {
        let audit = t.seed_action("audit-log");
        t.seed_bindings("post-login", &[&audit]);
    });
    println!("fake tenant at {}", fake.base_url());
    println!(
        "AUTH0_DOMAIN={} AUTH0_CLIENT_ID={} AUTH0_CLIENT_SECRET={}",
        fake.base_url(),
        config.client_id,
        config.client_secret
    );
    println!("(Ctrl-C to stop; every request is printed below)");
    let mut seen = 0;
    loop {
        std::thread::sleep(std::time::Duration::from_millis(200));
        let requests = fake.requests();
        for r in &requests[seen..] {
            println!(
                "{} {} {}{}",
                r.status,
                r.method,
                r.path,
                if r.query.is_empty() { String::new() } else { format!("?{}", r.query) }
            );
        }
        seen = requests.len();
    }
}
