//! Reading and vetting the home-realm-discovery domains stored in organization metadata.
//!
//! The Auth0 guide stores them as a comma-separated string (`test.com,test2.com`) and its CLI
//! example writes a JSON array string (`["domain1.com", "domain2.com"]`); both are accepted.
//! Every domain is trimmed, lower-cased and checked to be a DNS name, duplicates are dropped
//! (first occurrence kept) and blocked domains (public email providers by default) are refused,
//! because routing `gmail.com` to one customer's IdP would capture every Gmail user.

use alloc::string::String;
use alloc::vec::Vec;

use crate::value::{parse_json, Value};

/// Public email providers refused by default. Kept short and well known; policies add their own.
pub const DEFAULT_BLOCKED_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    "yahoo.com",
    "ymail.com",
    "aol.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "proton.me",
    "protonmail.com",
    "gmx.com",
    "gmx.net",
    "mail.com",
    "yandex.com",
    "yandex.ru",
    "zoho.com",
    "qq.com",
    "163.com",
];

/// Why a domain was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not a DNS name (`not a domain`, `a..com`, `-x.com`, non-ASCII without punycode).
    Invalid,
    /// On the block list, or a subdomain of a blocked domain.
    Blocked,
}

/// The result of reading the metadata value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Domains {
    /// Accepted domains, normalised, in order, without duplicates.
    pub accepted: Vec<String>,
    /// Refused entries as written (trimmed), with the reason.
    pub refused: Vec<(String, Refusal)>,
}

/// Reads the metadata value: a comma-separated list or a JSON array of strings.
pub fn read_domains(raw: &str, blocked: &[String]) -> Domains {
    let trimmed = raw.trim();
    let entries: Vec<String> = match trimmed.starts_with('[') {
        true => match parse_json(trimmed.as_bytes()) {
            Ok(Value::List(items)) => items
                .into_iter()
                .map(|item| match item {
                    Value::Str(s) => s,
                    other => other.to_json(),
                })
                .collect(),
            // Not a JSON array after all: treat it as a comma list so the error names the entry.
            _ => split_commas(trimmed),
        },
        false => split_commas(trimmed),
    };
    let mut out = Domains::default();
    for entry in entries {
        // The guide's snippet removes spaces (`replace(/ /g, '')`); trimming also covers tabs.
        let entry: String = entry.chars().filter(|c| *c != ' ').collect();
        let entry = entry.trim();
        if entry.is_empty() {
            continue;
        }
        let domain = entry.trim_end_matches('.').to_ascii_lowercase();
        if !is_domain_name(&domain) {
            out.refused.push((String::from(entry), Refusal::Invalid));
        } else if is_blocked(&domain, blocked) {
            out.refused.push((String::from(entry), Refusal::Blocked));
        } else if !out.accepted.contains(&domain) {
            out.accepted.push(domain);
        }
    }
    out
}

fn split_commas(text: &str) -> Vec<String> {
    text.split(',').map(String::from).collect()
}

fn is_blocked(domain: &str, blocked: &[String]) -> bool {
    blocked.iter().any(|b| {
        domain == b
            || (domain.len() > b.len()
                && domain.ends_with(b.as_str())
                && domain.as_bytes()[domain.len() - b.len() - 1] == b'.')
    })
}

/// A DNS host name of at least two labels: letters, digits and inner hyphens, 1–63 characters a
/// label, 253 in all, and a top-level label that is not all digits (so IP addresses fail).
pub fn is_domain_name(domain: &str) -> bool {
    if domain.is_empty() || domain.len() > 253 {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return false;
    }
    let label_ok = |label: &&str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    labels.iter().all(label_ok) && labels.last().is_some_and(|tld| !tld.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec;

    fn blocked() -> Vec<String> {
        DEFAULT_BLOCKED_DOMAINS.iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn comma_list_like_the_guide() {
        let d = read_domains("test.com, test2.com", &blocked());
        assert_eq!(d.accepted, vec!["test.com", "test2.com"]);
        assert!(d.refused.is_empty());
    }

    #[test]
    fn json_array_like_the_cli_example() {
        let d = read_domains(r#"["domain1.com", "domain2.com"]"#, &blocked());
        assert_eq!(d.accepted, vec!["domain1.com", "domain2.com"]);
    }

    #[test]
    fn normalises_and_dedupes_in_order() {
        let d = read_domains(" B.com ,a.com,,b.COM., a.com ", &blocked());
        assert_eq!(d.accepted, vec!["b.com", "a.com"]);
    }

    #[test]
    fn refuses_public_providers_and_their_subdomains() {
        let d = read_domains("acme.com,gmail.com,mail.Outlook.com,notgmail.com", &blocked());
        assert_eq!(d.accepted, vec!["acme.com", "notgmail.com"]);
        assert_eq!(
            d.refused,
            vec![("gmail.com".to_string(), Refusal::Blocked), ("mail.Outlook.com".to_string(), Refusal::Blocked)]
        );
    }

    #[test]
    fn refuses_non_domains() {
        for bad in ["localhost", "a..com", "-a.com", "a-.com", "1.2.3.4", "exämple.com", "a_b.com", "@x.com"] {
            let d = read_domains(bad, &[]);
            assert_eq!(d.refused, vec![(bad.to_string(), Refusal::Invalid)], "{bad}");
        }
        assert!(is_domain_name("xn--exmple-cua.com"));
        assert!(!is_domain_name(&("a".repeat(64) + ".com")));
    }
}
