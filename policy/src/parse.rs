//! Stage 1: policy text → [`PolicyAst`]. Reads the TOML with spans (`toml::de::DeTable`), checks
//! the file's shape (known keys only, value kinds, `version = 1`), fills in defaults and records,
//! for every CEL string, where each of its characters sits in the file.
//!
//! Problems are collected, not returned early: one run reports every unknown key, every wrong
//! value and every malformed test.

use std::ops::Range;

use action_core::ir::{GateField, OnError, OnInvalidDomain, Tokens};
use action_core::value::Value;
use action_core::Decision;
use toml::de::{DeTable, DeValue};
use toml::Spanned as TomlSpanned;

use super::ast::*;
use super::diagnostic::problems::{InvalidTest, InvalidValue, MissingKey, TomlSyntax, UnknownKey, UnsupportedVersion};
use super::diagnostic::{Diagnostics, Problem, Source};
use super::schema::suggest;

type Table<'i> = DeTable<'i>;
type Item<'i> = TomlSpanned<DeValue<'i>>;

/// Parses the policy file. Returns the AST (as complete as the file allows) and pushes every
/// problem found into `diags`.
pub fn parse(source: &Source, diags: &mut Diagnostics) -> PolicyAst {
    let text = source.text();
    let (document, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        for e in errors {
            let span = e.span().unwrap_or(0..0);
            diags.push(TomlSyntax { message: e.message().to_string() }.at(source, span));
        }
        return PolicyAst::default();
    }
    let mut r = Reader { source, diags };
    r.document(document.get_ref(), document.span())
}

struct Reader<'a> {
    source: &'a Source,
    diags: &'a mut Diagnostics,
}

const TOP_KEYS: &[&str] =
    &["version", "api", "attributes", "sp_client_id", "domain_aliases", "scopes", "mfa", "rule", "test"];

impl Reader<'_> {
    fn report(&mut self, span: Span, problem: impl Problem) {
        self.diags.push(problem.at(self.source, span));
    }

    fn document(&mut self, doc: &Table<'_>, doc_span: Span) -> PolicyAst {
        self.keys(doc, TOP_KEYS, "the policy file");
        match get(doc, "version") {
            None => self.report(0..0, UnsupportedVersion::Missing),
            Some(v) => match v.get_ref() {
                DeValue::Integer(i) if i.as_str() == "1" => {}
                _ => self.report(v.span(), UnsupportedVersion::Unsupported { written: self.raw(v.span()).to_string() }),
            },
        }
        let mut ast = PolicyAst { api: self.api(doc, doc_span), ..PolicyAst::default() };
        if let Some(table) = self.table(doc, "attributes") {
            for (key, value) in table.iter() {
                let path = Spanned { value: key.get_ref().to_string(), span: key.span() };
                match value.get_ref() {
                    DeValue::String(ty) => ast
                        .attributes
                        .push(AttributeAst { path, ty: Spanned { value: ty.to_string(), span: value.span() } }),
                    other => self.wrong_kind(value.span(), &path.value, "a type string", other),
                }
            }
        }
        if let Some(t) = self.table(doc, "sp_client_id") {
            self.keys(
                t,
                &["metadata_key", "tenant_domain_secret", "init_login_secret", "missing_data_message"],
                "[sp_client_id]",
            );
            ast.sp_client_id = Some(SpClientIdAst {
                metadata_key: self.string_or(t, "metadata_key", "express_configure_sp_client_id"),
                tenant_domain_secret: self.string_or(t, "tenant_domain_secret", "TENANT_DOMAIN"),
                init_login_secret: self.string_or(t, "init_login_secret", "SERVICE_INIT_LOGIN_URL"),
                missing_data_message: self.string_or(
                    t,
                    "missing_data_message",
                    "Unable to issue token for Express Configure API - missing data.",
                ),
            });
        }
        if let Some(t) = self.table(doc, "domain_aliases") {
            self.keys(
                t,
                &["metadata_key", "claim", "block_public_email_domains", "blocked", "on_invalid", "deny_message"],
                "[domain_aliases]",
            );
            let on_invalid = match self.choice(t, "on_invalid", &["drop", "deny"]) {
                Some(s) if s.value == "deny" => OnInvalidDomain::Deny,
                _ => OnInvalidDomain::Drop,
            };
            let header = key_span(doc, "domain_aliases");
            ast.domain_aliases = Some(DomainAliasesAst {
                metadata_key: self.string_or(t, "metadata_key", "domains"),
                claim: self
                    .string(t, "claim")
                    .unwrap_or(Spanned { value: "express_configuration".into(), span: header }),
                block_public_email_domains: self.boolean(t, "block_public_email_domains").unwrap_or(true),
                blocked: self.strings(t, "blocked"),
                on_invalid,
                deny_message: self.string_or(t, "deny_message", "Access denied: invalid home realm discovery domains"),
            });
        }
        if let Some(t) = self.table(doc, "scopes") {
            self.keys(t, &["deny_message"], "[scopes]");
            ast.scopes = Some(ScopesAst { deny_message: self.string_or(t, "deny_message", "Access denied") });
        }
        if let Some(t) = self.table(doc, "mfa") {
            self.keys(t, &["when", "provider", "challenge", "webauthn_platform"], "[mfa]");
            let provider = match get(t, "provider") {
                None => Some(Spanned { value: "any".into(), span: key_span(doc, "mfa") }),
                Some(v) => match v.get_ref() {
                    DeValue::Boolean(false) => None,
                    DeValue::String(s) => Some(Spanned { value: s.to_string(), span: v.span() }),
                    other => {
                        self.wrong_kind(v.span(), "provider", "a provider name or `false`", other);
                        None
                    }
                },
            };
            ast.mfa = Some(MfaAst {
                span: key_span(doc, "mfa"),
                when: self.cel(t, "when"),
                provider,
                challenge: self.strings(t, "challenge"),
                webauthn_platform: self.boolean(t, "webauthn_platform").unwrap_or(false),
            });
        }
        for (rule, span) in self.array_of_tables(doc, "rule") {
            if let Some(rule) = self.rule(rule, span) {
                ast.rules.push(rule);
            }
        }
        for (test, span) in self.array_of_tables(doc, "test") {
            if let Some(test) = self.test(test, span) {
                ast.tests.push(test);
            }
        }
        ast
    }

    fn api(&mut self, doc: &Table<'_>, _doc_span: Span) -> Option<ApiAst> {
        let Some(t) = self.table(doc, "api") else {
            if get(doc, "api").is_none() {
                self.report(0..0, MissingKey::Api);
            }
            return None;
        };
        self.keys(t, &["identifier", "match"], "[api]");
        let identifier = self.string(t, "identifier");
        if identifier.is_none() && get(t, "identifier").is_none() {
            self.report(key_span(doc, "api"), MissingKey::ApiIdentifier);
        }
        let field = match self.choice(t, "match", &["resource_server", "audience"]) {
            Some(s) if s.value == "audience" => GateField::AudienceQuery,
            _ => GateField::ResourceServer,
        };
        identifier.map(|identifier| ApiAst { identifier, field })
    }

    fn rule(&mut self, t: &Table<'_>, span: Span) -> Option<RuleAst> {
        self.keys(t, &["id", "when", "grant", "forbid", "deny", "mfa", "on_error", "claim"], "[[rule]]");
        let id = self.string(t, "id");
        if id.is_none() && get(t, "id").is_none() {
            self.report(span.start..span.start, MissingKey::RuleId);
        }
        let when = self.cel(t, "when");
        if when.is_none() && get(t, "when").is_none() {
            self.report(
                id.as_ref().map_or(span.start..span.start, |i| i.span.clone()),
                MissingKey::RuleWhen { rule: id.as_ref().map(|i| i.value.clone()) },
            );
        }
        let mut claims = Vec::new();
        for (c, cspan) in self.array_of_tables(t, "claim") {
            self.keys(c, &["token", "name", "value"], "[[rule.claim]]");
            let tokens = match self.choice(c, "token", &["access", "id", "both"]) {
                Some(s) if s.value == "id" => Tokens::Id,
                Some(s) if s.value == "both" => Tokens::Both,
                _ => Tokens::Access,
            };
            let name = self.required_string(c, "name", cspan.clone(), "[[rule.claim]]");
            let value = self.cel(c, "value");
            if value.is_none() && get(c, "value").is_none() {
                self.report(cspan.start..cspan.start, MissingKey::ClaimValue);
            }
            if let Some(name) = name {
                claims.push(ClaimAst { tokens, name, value });
            }
        }
        Some(RuleAst {
            span,
            id: id?,
            when,
            grant: self.strings(t, "grant"),
            forbid: self.strings(t, "forbid"),
            deny: self.deny(t),
            mfa: self.boolean(t, "mfa").unwrap_or(false),
            on_error: match self.choice(t, "on_error", &["restrict", "skip"]) {
                Some(s) if s.value == "skip" => OnError::Skip,
                _ => OnError::Restrict,
            },
            claims,
        })
    }

    fn test(&mut self, t: &Table<'_>, span: Span) -> Option<TestAst> {
        self.keys(t, &["name", "event", "expect"], "[[test]]");
        let name = self.required_string(t, "name", span.clone(), "[[test]]");
        let event = match get(t, "event") {
            None => {
                self.report(
                    name.as_ref().map_or(span.start..span.start, |n| n.span.clone()),
                    InvalidTest::MissingEvent,
                );
                None
            }
            Some(v) => match v.get_ref() {
                DeValue::Table(_) => Some(to_value(v.get_ref())),
                other => {
                    self.wrong_kind(v.span(), "event", "a table", other);
                    None
                }
            },
        };
        let expect = match get(t, "expect") {
            None => {
                self.report(
                    name.as_ref().map_or(span.start..span.start, |n| n.span.clone()),
                    InvalidTest::MissingExpect,
                );
                None
            }
            Some(v) => match v.get_ref() {
                DeValue::Array(items) => {
                    let mut decisions = Vec::new();
                    let mut ok = true;
                    for item in items.iter() {
                        let json = to_json(item.get_ref());
                        match serde_json::from_value::<Decision>(json) {
                            Ok(d) => decisions.push(d),
                            Err(e) => {
                                ok = false;
                                self.report(item.span(), InvalidTest::Decision { error: e.to_string() });
                            }
                        }
                    }
                    ok.then_some(decisions)
                }
                other => {
                    self.wrong_kind(v.span(), "expect", "an array of decisions", other);
                    None
                }
            },
        };
        Some(TestAst { name: name?, event: event?, expect: expect? })
    }

    /// Reports keys of `table` that are not in `allowed`.
    fn keys(&mut self, table: &Table<'_>, allowed: &'static [&'static str], context: &'static str) {
        for key in table.keys() {
            let name: &str = key.get_ref();
            if !allowed.contains(&name) {
                let suggestion = suggest(name, allowed);
                self.report(key.span(), UnknownKey { key: name.to_string(), table: context, allowed, suggestion });
            }
        }
    }

    fn raw(&self, span: Span) -> &str {
        self.source.text().get(span).unwrap_or("")
    }

    fn wrong_kind(&mut self, span: Span, key: &str, expected: &str, found: &DeValue<'_>) {
        self.report(
            span,
            InvalidValue::WrongKind { key: key.to_string(), expected: expected.to_string(), found: kind(found) },
        );
    }

    fn table<'t, 'i>(&mut self, t: &'t Table<'i>, key: &str) -> Option<&'t Table<'i>> {
        let v = get(t, key)?;
        match v.get_ref() {
            DeValue::Table(inner) => Some(inner),
            other => {
                self.wrong_kind(v.span(), key, "a table", other);
                None
            }
        }
    }

    fn array_of_tables<'t, 'i>(&mut self, t: &'t Table<'i>, key: &str) -> Vec<(&'t Table<'i>, Span)> {
        let Some(v) = get(t, key) else {
            return Vec::new();
        };
        match v.get_ref() {
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::Table(inner) => out.push((inner, item.span())),
                        other => self.wrong_kind(item.span(), key, "a table", other),
                    }
                }
                out
            }
            other => {
                self.wrong_kind(v.span(), key, &format!("an array of tables (`[[{key}]]`)"), other);
                Vec::new()
            }
        }
    }

    fn string(&mut self, t: &Table<'_>, key: &str) -> Option<Spanned<String>> {
        let v = get(t, key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(Spanned { value: s.to_string(), span: v.span() }),
            other => {
                self.wrong_kind(v.span(), key, "a string", other);
                None
            }
        }
    }

    fn required_string(
        &mut self,
        t: &Table<'_>,
        key: &'static str,
        span: Span,
        context: &'static str,
    ) -> Option<Spanned<String>> {
        let s = self.string(t, key);
        if s.is_none() && get(t, key).is_none() {
            self.report(span.start..span.start, MissingKey::Key { key, table: context });
        }
        s
    }

    fn string_or(&mut self, t: &Table<'_>, key: &str, default: &str) -> String {
        self.string(t, key).map_or_else(|| default.to_string(), |s| s.value)
    }

    fn choice(&mut self, t: &Table<'_>, key: &str, allowed: &'static [&'static str]) -> Option<Spanned<String>> {
        let s = self.string(t, key)?;
        if allowed.contains(&s.value.as_str()) {
            return Some(s);
        }
        let suggestion = suggest(&s.value, allowed);
        self.report(
            s.span.clone(),
            InvalidValue::NotAllowed { key: key.to_string(), value: s.value.clone(), allowed, suggestion },
        );
        None
    }

    fn boolean(&mut self, t: &Table<'_>, key: &str) -> Option<bool> {
        let v = get(t, key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                self.wrong_kind(v.span(), key, "`true` or `false`", other);
                None
            }
        }
    }

    fn strings(&mut self, t: &Table<'_>, key: &str) -> Vec<Spanned<String>> {
        let Some(v) = get(t, key) else {
            return Vec::new();
        };
        match v.get_ref() {
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::String(s) => out.push(Spanned { value: s.to_string(), span: item.span() }),
                        other => self.wrong_kind(item.span(), key, "an array of strings", other),
                    }
                }
                out
            }
            other => {
                self.wrong_kind(v.span(), key, "an array of strings", other);
                Vec::new()
            }
        }
    }

    /// `deny = "text"` or `deny = { reason = 'expression' }`.
    fn deny(&mut self, t: &Table<'_>) -> Option<DenyAst> {
        let v = get(t, "deny")?;
        match v.get_ref() {
            DeValue::String(s) => Some(DenyAst::Text(Spanned { value: s.to_string(), span: v.span() })),
            DeValue::Table(inner) => {
                self.keys(inner, &["reason"], "`deny = { ... }`");
                let reason = self.cel(inner, "reason");
                if reason.is_none() && get(inner, "reason").is_none() {
                    self.report(v.span(), MissingKey::Key { key: "reason", table: "`deny = { ... }`" });
                }
                reason.map(DenyAst::Reason)
            }
            other => {
                self.wrong_kind(v.span(), "deny", "a string or `{ reason = '...' }`", other);
                None
            }
        }
    }

    fn cel(&mut self, t: &Table<'_>, key: &str) -> Option<CelSource> {
        let v = get(t, key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(cel_source(self.source.text(), s, v.span())),
            other => {
                self.wrong_kind(v.span(), key, "a CEL expression in a string", other);
                None
            }
        }
    }
}

fn get<'t, 'i>(t: &'t Table<'i>, key: &str) -> Option<&'t Item<'i>> {
    t.iter()
        .find(|(k, _)| {
            let k: &str = k.get_ref();
            k == key
        })
        .map(|(_, v)| v)
}

fn key_span(t: &Table<'_>, key: &str) -> Span {
    t.keys()
        .find(|k| {
            let k: &str = k.get_ref();
            k == key
        })
        .map_or(0..0, |k| k.span())
}

fn kind(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// Builds the [`CelSource`] of a TOML string: maps every byte of the string's value back to the
/// bytes it was written as, for each of TOML's four string syntaxes.
pub(crate) fn cel_source(file: &str, value: &str, span: Span) -> CelSource {
    let raw = file.get(span.clone()).unwrap_or("");
    let (delimiter, literal) = if raw.starts_with("'''") {
        (3, true)
    } else if raw.starts_with("\"\"\"") {
        (3, false)
    } else if raw.starts_with('\'') {
        (1, true)
    } else {
        (1, false)
    };
    let mut start = span.start + delimiter.min(raw.len());
    let body_end = span.end.saturating_sub(delimiter).max(start);
    // Multi-line strings drop a newline right after the opening delimiter.
    if delimiter == 3 {
        if file[start..].starts_with("\r\n") {
            start += 2;
        } else if file[start..].starts_with('\n') {
            start += 1;
        }
    }
    let body = file.get(start..body_end).unwrap_or("");
    let units = if literal { literal_units(body, start) } else { basic_units(body, start) };
    let units = if units.len() == value.len() { units } else { Vec::new() };
    CelSource { text: value.to_string(), span, units }
}

fn literal_units(body: &str, start: usize) -> Vec<Range<usize>> {
    (0..body.len()).map(|i| start + i..start + i + 1).collect()
}

fn basic_units(body: &str, start: usize) -> Vec<Range<usize>> {
    let bytes = body.as_bytes();
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            out.push(start + i..start + i + 1);
            i += 1;
            continue;
        }
        let escape_len = match bytes.get(i + 1) {
            Some(b'u') => 6,
            Some(b'U') => 10,
            Some(b'x') => 4,
            Some(b'\n' | b'\r' | b' ' | b'\t') => {
                // A line-ending backslash drops all whitespace up to the next non-blank.
                let mut j = i + 1;
                while j < bytes.len() && matches!(bytes[j], b'\n' | b'\r' | b' ' | b'\t') {
                    j += 1;
                }
                i = j;
                continue;
            }
            Some(_) => 2,
            None => 1,
        };
        let end = (i + escape_len).min(bytes.len());
        let decoded_len = match bytes.get(i + 1) {
            Some(b'u' | b'U' | b'x') => std::str::from_utf8(&bytes[i + 2..end])
                .ok()
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .and_then(char::from_u32)
                .map_or(1, char::len_utf8),
            _ => 1,
        };
        for _ in 0..decoded_len {
            out.push(start + i..start + end);
        }
        i = end;
    }
    out
}

/// A TOML value as the engine's value (floats keep their text, date-times become strings).
pub(crate) fn to_value(v: &DeValue<'_>) -> Value {
    match v {
        DeValue::String(s) => Value::Str(s.to_string()),
        // Numbers follow the engine's one rule (safe integers are ints however written), as if
        // the event had come as JSON: decimal text through the engine's own reader.
        DeValue::Integer(i) => match i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()) {
            Ok(n) => json_number(&n.to_string()).unwrap_or_else(|| Value::Number(n.to_string())),
            Err(_) => Value::Number(i.as_str().to_string()),
        },
        DeValue::Float(f) => {
            let text = f.as_str().replace('_', "");
            json_number(&text).unwrap_or(Value::Number(text))
        }
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::Str(d.to_string()),
        DeValue::Array(items) => Value::List(items.iter().map(|i| to_value(i.get_ref())).collect()),
        DeValue::Table(t) => {
            let mut out = Value::Map(Vec::new());
            for (k, v) in t.iter() {
                out.insert(k.get_ref(), to_value(v.get_ref()));
            }
            out
        }
    }
}

/// A number's text read by the engine's JSON reader (`None` for what JSON cannot write, such as
/// TOML's `inf`, `nan` or `+1.0`).
fn json_number(text: &str) -> Option<Value> {
    action_core::value::parse_json(text.as_bytes()).ok().filter(|v| matches!(v, Value::Int(_) | Value::Number(_)))
}

fn to_json(v: &DeValue<'_>) -> serde_json::Value {
    match serde_json::to_value(to_value(v)) {
        Ok(json) => json,
        Err(_) => serde_json::Value::Null,
    }
}
