//! The event a policy decides on, the same on every path: `explain`, inline tests, the harness
//! running the built Action, and Auth0.
//!
//! Auth0 always supplies some objects (`user.app_metadata`, `secrets`, ...; the list is
//! `auth0_platform::event::ALWAYS_PRESENT_OBJECTS`) that hand-written events leave out; the
//! built Action hands the engine only the paths the policy reads (pruned) and numbers as
//! `JSON.stringify` writes them. [`decide_as_the_action_does`] does all of it natively, so what
//! `explain` and inline tests show is what runs in Auth0.

use action_core::ir::Policy;
use action_core::value::Value;
use action_core::{decide, prune, Outcome};

/// A JSON event (a fixture's, read with serde_json) as the built Action hands it to the engine:
/// numbers pass through a JavaScript double (`JSON.parse`) and are written back as
/// `JSON.stringify` writes them, so `9007199254740993` is `9007199254740992`, `12.0` is `12` and
/// `1e21` is `1e+21`; the engine's reader then types them by its one rule.
pub fn from_json(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => {
            let double = n.as_f64().unwrap_or(f64::NAN);
            let text = ryu_js::Buffer::new().format(double).to_string();
            action_core::value::parse_json(text.as_bytes()).unwrap_or(Value::Null)
        }
        serde_json::Value::String(s) => Value::Str(s.clone()),
        serde_json::Value::Array(items) => Value::List(items.iter().map(from_json).collect()),
        serde_json::Value::Object(entries) => {
            let mut out = Value::Map(Vec::new());
            for (key, value) in entries {
                out.insert(key, from_json(value));
            }
            out
        }
    }
}

/// `event` with the objects Auth0 always supplies added as `{}` where missing.
pub fn as_auth0_sends_it(mut event: Value) -> Value {
    for (parent, key) in auth0_platform::event::ALWAYS_PRESENT_OBJECTS {
        complete(&mut event, parent, key);
    }
    event
}

fn complete(object: &mut Value, parent: &[&str], key: &str) {
    let Value::Map(entries) = object else { return };
    match parent.split_first() {
        None => {
            if !entries.iter().any(|(k, _)| k == key) {
                entries.push((key.to_string(), Value::Map(Vec::new())));
            }
        }
        Some((first, rest)) => {
            if let Some((_, inner)) = entries.iter_mut().find(|(k, _)| k == first) {
                complete(inner, rest, key);
            }
        }
    }
}

/// The fields of [`auth0_platform::event::ALWAYS_SENT`] that `event` lacks although their parent
/// is there (a top-level one whenever it is missing): what makes a hand-written event one Auth0
/// would never send. The empty objects every reader adds ([`as_auth0_sends_it`]) are not counted.
pub fn unsent_fields(event: &Value) -> Vec<&'static str> {
    let completed = |path: &str| {
        auth0_platform::event::ALWAYS_PRESENT_OBJECTS.iter().any(|(parent, key)| {
            let mut full = parent.join(".");
            if !full.is_empty() {
                full.push('.');
            }
            full.push_str(key);
            full == path
        })
    };
    auth0_platform::event::ALWAYS_SENT
        .iter()
        .copied()
        .filter(|path| !completed(path))
        .filter(|path| {
            let mut parts: Vec<&str> = path.split('.').collect();
            let Some(key) = parts.pop() else { return false };
            let parent = parts.iter().try_fold(event, |value, part| lookup(value, part));
            matches!(parent, Some(Value::Map(_))) && parent.and_then(|p| lookup(p, key)).is_none()
        })
        .collect()
}

/// The unsent fields a policy reads (a read path equal to the field, inside it, or containing
/// it): the ones that make a rule behave in a test as it never does in production.
pub fn unsent_fields_read(policy: &Policy, event: &Value) -> Vec<&'static str> {
    unsent_fields(event)
        .into_iter()
        .filter(|field| {
            policy.paths.iter().any(|path| {
                path == field
                    || path.strip_prefix(*field).is_some_and(|rest| rest.starts_with('.'))
                    || field.strip_prefix(path.as_str()).is_some_and(|rest| rest.starts_with('.'))
            })
        })
        .collect()
}

fn lookup<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    match value {
        Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

/// Decides for `event` exactly as the generated Action does in Auth0: the event completed as
/// Auth0 sends it, pruned to the paths the policy reads, then [`decide`].
pub fn decide_as_the_action_does(policy: &Policy, event: &Value) -> Outcome {
    let event = as_auth0_sends_it(event.clone());
    decide(policy, &prune(&event, &policy.paths))
}

#[cfg(test)]
mod tests {
    use super::*;
    use action_core::value::parse_json;

    #[test]
    fn the_sample_event_has_every_field_auth0_sends() {
        let sample: serde_json::Value = serde_json::from_str(auth0_platform::event::SAMPLE_EVENT_JSON).expect("json");
        let sample = from_json(&sample);
        assert_eq!(unsent_fields(&sample), Vec::<&str>::new());
        for path in auth0_platform::event::ALWAYS_SENT {
            let found = path.split('.').try_fold(&sample, |value, part| lookup(value, part));
            assert!(found.is_some(), "the sample lacks `{path}`");
        }
    }

    #[test]
    fn unsent_fields_are_the_missing_children_of_present_parents() {
        let event = from_json(&serde_json::json!({
            "user": { "user_id": "auth0|1", "app_metadata": {} },
            "request": { "ip": "192.0.2.1" },
        }));
        let unsent = unsent_fields(&event);
        assert!(unsent.contains(&"user.email_verified"), "{unsent:?}");
        assert!(unsent.contains(&"tenant"), "a missing top-level object: {unsent:?}");
        assert!(!unsent.contains(&"user.user_id"));
        assert!(!unsent.contains(&"transaction.metadata"), "no transaction, no metadata: {unsent:?}");
        assert!(!unsent.contains(&"user.user_metadata"), "completed by every reader: {unsent:?}");
    }

    #[test]
    fn numbers_read_as_javascript_reads_them() {
        let json: serde_json::Value =
            serde_json::from_str(r#"[12.0, 1.2e1, 9007199254740993, 1e21, 0.1, -0.0, 11.5, 123456789012345680000]"#)
                .expect("json");
        assert_eq!(from_json(&json).to_json(), "[12,12,9007199254740992,1e+21,0.1,0,11.5,123456789012345680000]");
    }

    #[test]
    fn missing_objects_are_added_only_under_present_parents() {
        let event = parse_json(br#"{"user":{"app_metadata":{"a":1}},"request":{}}"#).expect("json");
        let completed = as_auth0_sends_it(event);
        assert_eq!(
            completed.to_json(),
            r#"{"user":{"app_metadata":{"a":1},"user_metadata":{}},"request":{"query":{},"body":{}},"secrets":{}}"#
        );
    }
}
