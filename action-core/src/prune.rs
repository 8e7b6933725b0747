//! The event pruning the generated Action does before calling the engine, in Rust: keep only the
//! attribute paths the policy reads, and the objects leading to them. Native runs use it to check
//! that a policy's path list is complete (a decision on the pruned event must equal the decision
//! on the whole event); `templates/action.js.tera` has the JavaScript twin.

use alloc::string::String;
use alloc::vec::Vec;

use crate::value::Value;

/// Copies the values at `paths` (dotted, e.g. `user.app_metadata.is_admin`) out of `event`.
///
/// An object on the way is recreated with only the keys on some path; a value that is not an
/// object (or is an array) ends the path and is copied whole, so the engine sees the same type
/// errors it would see on the whole event.
pub fn prune(event: &Value, paths: &[String]) -> Value {
    let mut out = Value::Map(Vec::new());
    for path in paths {
        let keys: Vec<&str> = path.split('.').collect();
        copy_path(event, &keys, &mut out);
    }
    out
}

fn copy_path(from: &Value, keys: &[&str], to: &mut Value) {
    let Some((key, rest)) = keys.split_first() else { return };
    let Some(value) = from.get(key) else { return };
    let is_object = matches!(value, Value::Map(_));
    if rest.is_empty() || !is_object {
        to.insert(key, value.clone());
        return;
    }
    if to.get(key).is_none() {
        to.insert(key, Value::Map(Vec::new()));
    }
    if let Value::Map(entries) = to {
        if let Some((_, child)) = entries.iter_mut().find(|(k, _)| k == key) {
            if matches!(child, Value::Map(_)) {
                copy_path(value, rest, child);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::parse_json;
    use alloc::string::ToString;

    fn paths(list: &[&str]) -> Vec<String> {
        list.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn keeps_only_what_is_read() {
        let event = parse_json(
            br#"{"user":{"email":"a@b.c","app_metadata":{"is_admin":true,"secret":"x"},"identities":[1]},
                 "secrets":{"A":"1","B":"2"},"request":{"query":{}}}"#,
        )
        .unwrap();
        let pruned = prune(
            &event,
            &paths(&["user.app_metadata.is_admin", "secrets.A", "request.query.audience", "organization.id"]),
        );
        assert_eq!(
            pruned.to_json(),
            r#"{"user":{"app_metadata":{"is_admin":true}},"secrets":{"A":"1"},"request":{"query":{}}}"#
        );
    }

    #[test]
    fn non_objects_on_the_way_are_copied_whole() {
        let event = parse_json(br#"{"user":{"app_metadata":"oops"},"list":[{"a":1}]}"#).unwrap();
        let pruned = prune(&event, &paths(&["user.app_metadata.is_admin", "list.a"]));
        assert_eq!(pruned.to_json(), r#"{"user":{"app_metadata":"oops"},"list":[{"a":1}]}"#);
    }
}
