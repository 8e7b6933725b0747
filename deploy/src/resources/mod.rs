//! The Management API resources actionkit reads and writes, one module per resource. Each owns
//! its endpoint paths, the shapes of what is sent and received (the fields actionkit uses;
//! unknown fields are kept only where a write must send them back) and its read_list, find, create
//! and update calls. The rest of the crate talks to the tenant only through these.
//!
//! Shared here: the one percent-encoding of path segments and query values (`encode`),
//! reading an answer into a shape, list answers, and the two kinds of pagination (offset and
//! checkpoint), so each is written once.

pub mod actions;
pub mod client_grants;
pub mod clients;
pub mod organizations;
pub mod profiles;
pub mod prompts;
pub mod resource_servers;
pub mod roles;
pub mod tenant_settings;
pub mod triggers;
pub mod users;

use percent_encoding::{utf8_percent_encode, AsciiSet, PercentEncode, NON_ALPHANUMERIC};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::client::Client;
use crate::DeployError;

/// What [`encode`] leaves as it is: RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`).
/// Everything else is escaped, including `:`, `@`, `+`, `&` and `=` that a path segment could
/// carry bare: one set that is safe both in a path segment and in a query value, so no caller
/// has to know which it is building (a `+` left bare reads as a space to a form decoder).
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes `s` (UTF-8) for a path segment or a query value: identifiers such as
/// `urn:auth0:express-configure`, user ids such as `auth0|abc`, names with spaces.
fn encode(s: &str) -> PercentEncode<'_> {
    utf8_percent_encode(s, UNRESERVED)
}

/// Reads `value`, the answer to `method path`, as `T`.
fn parse<T: DeserializeOwned>(value: Value, method: &str, path: &str) -> Result<T, DeployError> {
    serde_json::from_value(value)
        .map_err(|e| DeployError::Response { request: format!("{method} /api/v2{path}"), reason: e.to_string() })
}

/// `GET path`, read as `T`.
fn read<T: DeserializeOwned>(client: &Client, path: &str) -> Result<T, DeployError> {
    parse(client.get(path)?, "GET", path)
}

/// `GET path`, read as `T`; `None` when the tenant answers 404.
fn read_if_exists<T: DeserializeOwned>(client: &Client, path: &str) -> Result<Option<T>, DeployError> {
    match client.get(path) {
        Ok(value) => parse(value, "GET", path).map(Some),
        Err(e) if e.status() == Some(404) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The items of `answer`, a list answer to `GET path`: the array itself or, with pagination
/// totals, the array under `key`; none for anything else.
fn items<T: DeserializeOwned>(answer: Value, key: &str, path: &str) -> Result<Vec<T>, DeployError> {
    let items = if answer.is_array() { answer } else { answer.get(key).cloned().unwrap_or(Value::Null) };
    match items {
        Value::Array(_) => parse(items, "GET", path),
        _ => Ok(Vec::new()),
    }
}

/// `GET path`, a list of one page, read as `T`s (see [`items`]).
fn read_list<T: DeserializeOwned>(client: &Client, path: &str, key: &str) -> Result<Vec<T>, DeployError> {
    items(client.get(path)?, key, path)
}

/// Every item of an offset-paginated list: `path` with `page=0, 1, …` and `per_page`, until a
/// short page or until `total` (when the answer gives it) items are read. After `max_pages` full
/// pages it fails rather than decide on part of the list (and so a misbehaving server cannot
/// keep us looping).
fn offset_pages<T: DeserializeOwned>(
    client: &Client,
    path: &str,
    key: &str,
    per_page: usize,
    max_pages: usize,
) -> Result<Vec<T>, DeployError> {
    let separator = if path.contains('?') { '&' } else { '?' };
    let mut all = Vec::new();
    for page in 0..max_pages {
        let page_path = format!("{path}{separator}page={page}&per_page={per_page}");
        let answer = client.get(&page_path)?;
        // Some lists give `total` on page 0 only (trigger bindings do); a short page always ends it.
        let total = answer.get("total").and_then(Value::as_u64).map(|t| t as usize);
        let page_items: Vec<T> = items(answer, key, &page_path)?;
        let n = page_items.len();
        all.extend(page_items);
        if n < per_page || total.is_some_and(|t| all.len() >= t) {
            return Ok(all);
        }
    }
    Err(too_long(path, max_pages * per_page))
}

/// The error for a list longer than actionkit reads.
fn too_long(path: &str, read: usize) -> DeployError {
    DeployError::Response {
        request: format!("GET /api/v2{}", path.split('?').next().unwrap_or(path)),
        reason: format!("the list goes on past {read} items; actionkit stops there rather than act on part of it"),
    }
}

/// Pages of a checkpoint-paginated list read at most, whatever the server keeps answering.
const MAX_CHECKPOINT_PAGES: usize = 1_000;

/// The first item that `wanted` accepts in a checkpoint-paginated list: `path` with `take`,
/// then `from` = the previous answer's `next`, page by page until the item or the end of the
/// list (no `next`) turns up. Auth0 requires this past 1,000 items, where offset pages stop.
fn find_in_checkpoint_pages<T: DeserializeOwned>(
    client: &Client,
    path: &str,
    key: &str,
    take: usize,
    wanted: impl Fn(&T) -> bool,
) -> Result<Option<T>, DeployError> {
    let separator = if path.contains('?') { '&' } else { '?' };
    let mut from: Option<String> = None;
    for _ in 0..MAX_CHECKPOINT_PAGES {
        let mut page_path = format!("{path}{separator}take={take}");
        if let Some(from) = &from {
            page_path.push_str(&format!("&from={}", encode(from)));
        }
        let answer = client.get(&page_path)?;
        let next = answer.get("next").and_then(Value::as_str).filter(|n| !n.is_empty()).map(String::from);
        let page_items: Vec<T> = items(answer, key, &page_path)?;
        if let Some(found) = page_items.into_iter().find(|item| wanted(item)) {
            return Ok(Some(found));
        }
        match next {
            // A server answering the same checkpoint again would keep us looping.
            Some(next) if from.as_ref() == Some(&next) => return Err(too_long(path, 0)),
            Some(next) => from = Some(next),
            None => return Ok(None),
        }
    }
    Err(too_long(path, MAX_CHECKPOINT_PAGES * take))
}

/// Every item of a checkpoint-paginated list (see [`find_in_checkpoint_pages`]).
fn checkpoint_pages<T: DeserializeOwned>(
    client: &Client,
    path: &str,
    key: &str,
    take: usize,
) -> Result<Vec<T>, DeployError> {
    let all = std::cell::RefCell::new(Vec::new());
    find_in_checkpoint_pages(client, path, key, take, |item: &Value| {
        all.borrow_mut().push(item.clone());
        false
    })?;
    parse(Value::Array(all.into_inner()), "GET", path)
}

/// For list and object fields the API may send as `null` as well as leave out: both read as
/// empty (`#[serde(default)]` alone covers only a missing field).
fn null_as_empty<'de, D: Deserializer<'de>, T: Default + Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_escapes_everything_but_unreserved_characters() {
        // The strings actionkit puts in paths and queries, encoded as they always have been.
        let cases = [
            ("express_configure_postlogin_action", "express_configure_postlogin_action"),
            ("urn:auth0:express-configure", "urn%3Aauth0%3Aexpress-configure"),
            (
                "https://system.okta.com/actions/express-configure/v1",
                "https%3A%2F%2Fsystem.okta.com%2Factions%2Fexpress-configure%2Fv1",
            ),
            ("auth0|ädmin 1/+", "auth0%7C%C3%A4dmin%201%2F%2B"),
            ("a&b=c?d#e%f~g", "a%26b%3Dc%3Fd%23e%25f~g"),
            ("EXPRESS_CONFIGURE_ADMIN_ROLE", "EXPRESS_CONFIGURE_ADMIN_ROLE"),
        ];
        for (raw, encoded) in cases {
            assert_eq!(encode(raw).to_string(), encoded, "{raw}");
        }
        // Byte for byte what the hand-written encoders did: unreserved kept, the rest `%XX`.
        for b in 0u8..=127 {
            let s = (b as char).to_string();
            let expected = if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                s.clone()
            } else {
                format!("%{b:02X}")
            };
            assert_eq!(encode(&s).to_string(), expected, "byte {b}");
        }
    }

    #[test]
    fn list_answers_are_an_array_or_an_array_under_the_key() {
        let read = |answer: Value| items::<u32>(answer, "roles", "/roles").unwrap();
        assert_eq!(read(serde_json::json!([1, 2])), [1, 2]);
        assert_eq!(read(serde_json::json!({ "roles": [3], "total": 1 })), [3]);
        assert_eq!(read(serde_json::json!({ "total": 0 })), Vec::<u32>::new());
        assert_eq!(read(serde_json::json!({ "roles": null })), Vec::<u32>::new());
        let err = items::<u32>(serde_json::json!(["x"]), "roles", "/roles").unwrap_err();
        assert!(err.to_string().starts_with("GET /api/v2/roles: unexpected response"), "{err}");
    }
}
