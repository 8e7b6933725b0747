//! Behaviours of section 10 of the Auth0 surface reference that need more than a corpus
//! snapshot shows at a glance (see docs/outcome.md, "Section 10 coverage").

use harness::{Action, Fixture, Harness, Status};

fn run(source: &str, event: &str) -> harness::Outcome {
    let action = Action::from_source("surface", source);
    Harness::new().run(&action, &Fixture::parse(event).expect("fixture")).expect("run")
}

#[test]
fn at_most_1000_scopes_can_be_added() {
    let outcome = run(
        "exports.onExecutePostLogin = async (event, api) => {\n\
           for (let i = 0; i < 1001; i++) {\n\
             try { api.accessToken.addScope('s' + i); } catch (e) { console.log(i, e.message); }\n\
           }\n\
         };",
        r#"{"user": {"user_id": "auth0|1"}}"#,
    );
    let logs: Vec<&str> = outcome.logs.iter().map(|l| l.message.as_str()).collect();
    assert_eq!(logs, ["1000 The number of scopes exceeds the allowed maximum of 1000."]);
    assert_eq!(outcome.access_token.scopes.as_ref().map(|s| s.added.len()), Some(1000));
    assert_eq!(outcome.status, Status::Completed);
}

#[test]
fn transaction_metadata_creates_a_missing_transaction() {
    let outcome = run(
        "exports.onExecutePostLogin = async (event, api) => {\n\
           console.log(typeof event.transaction);\n\
           api.transaction.setMetadata('risk', 'low');\n\
           console.log(JSON.stringify(event.transaction));\n\
         };",
        r#"{"user": {"user_id": "auth0|1"}}"#,
    );
    let logs: Vec<&str> = outcome.logs.iter().map(|l| l.message.as_str()).collect();
    assert_eq!(logs, ["undefined", r#"{"metadata":{"risk":"low"}}"#]);
}
