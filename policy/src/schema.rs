//! The attribute schema rules are checked against: the built-in Auth0 post-login event (v3)
//! merged with the policy's `[attributes]`.
//!
//! Types are written as in `[attributes]`: `bool int string dyn list<T> map<string,T>
//! {a: T, b: T?}`, where `?` marks a field that may be absent. A `map<string, dyn>` (such as
//! `user.app_metadata`) is kept as an *open record*: its keys must be declared before a rule
//! selects them, because the checker has no other way to know their types, while a map of a
//! concrete type (`client.metadata`, `map<string,string>`) accepts any key.
//!
//! [`declare_attributes`] is the stage that builds the schema of a policy, reporting every entry
//! of `[attributes]` it cannot take.

use std::fmt;

use super::ast::PolicyAst;
use super::diagnostic::problems::{InvalidAttribute, UnknownAttribute};
use super::diagnostic::{Diagnostics, Problem, Source};

/// A type of the CEL subset.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    /// `bool`
    Bool,
    /// `int`
    Int,
    /// `string`
    String,
    /// `null` (only as a literal)
    Null,
    /// Unknown until run time: every operation is allowed and checked by the engine.
    Dyn,
    /// `list<T>`
    List(Box<Type>),
    /// `map<string, T>`: any key, each may be absent.
    Map(Box<Type>),
    /// `{a: T, b: T?}`: known fields; `open` records (from `map<string, dyn>`) have other keys
    /// too, which must be declared in `[attributes]` before they are selected.
    Record(Record),
}

/// The fields of a record type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Record {
    /// The declared fields, in declaration order.
    pub fields: Vec<Field>,
    /// Whether keys other than `fields` may exist (values `dyn`).
    pub open: bool,
}

/// A field of a record.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The field name.
    pub name: String,
    /// Its type.
    pub ty: Type,
    /// Whether the field may be absent (`?`).
    pub optional: bool,
}

impl Record {
    /// The field called `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Bool => f.write_str("bool"),
            Type::Int => f.write_str("int"),
            Type::String => f.write_str("string"),
            Type::Null => f.write_str("null"),
            Type::Dyn => f.write_str("dyn"),
            Type::List(t) => write!(f, "list<{t}>"),
            Type::Map(t) => write!(f, "map<string, {t}>"),
            Type::Record(r) if r.open && r.fields.is_empty() => f.write_str("map<string, dyn>"),
            Type::Record(r) => {
                f.write_str("{")?;
                for (i, field) in r.fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}: {}{}", field.name, field.ty, if field.optional { "?" } else { "" })?;
                }
                if r.open {
                    f.write_str(if r.fields.is_empty() { "..." } else { ", ..." })?;
                }
                f.write_str("}")
            }
        }
    }
}

impl Type {
    /// Whether a value of this type may be compared with one of `other` (one of them unknown,
    /// null, or both the same kind).
    pub fn compatible(&self, other: &Type) -> bool {
        match (self, other) {
            (Type::Dyn, _) | (_, Type::Dyn) | (Type::Null, _) | (_, Type::Null) => true,
            (Type::List(a), Type::List(b)) | (Type::Map(a), Type::Map(b)) => a.compatible(b),
            (Type::Record(_), Type::Record(_) | Type::Map(_)) | (Type::Map(_), Type::Record(_)) => true,
            (a, b) => a == b,
        }
    }

    /// The most precise type holding values of both (for `?:` branches and literal elements).
    pub fn join(&self, other: &Type) -> Type {
        match (self, other) {
            (a, b) if a == b => a.clone(),
            (Type::Null, _) | (_, Type::Null) => Type::Dyn,
            (Type::List(a), Type::List(b)) => Type::List(Box::new(a.join(b))),
            (Type::Map(a), Type::Map(b)) => Type::Map(Box::new(a.join(b))),
            _ => Type::Dyn,
        }
    }
}

/// Why a type string could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeSyntaxError {
    /// Byte offset in the type string.
    pub offset: usize,
    /// What was expected.
    pub message: String,
}

/// Parses a type string; returns the type and whether it ends in `?` (may be absent).
///
/// # Errors
///
/// [`TypeSyntaxError`] with the offset of the first unexpected character.
pub fn parse_type(text: &str) -> Result<(Type, bool), TypeSyntaxError> {
    let mut p = TypeParser { text, pos: 0 };
    let ty = p.ty()?;
    p.ws();
    let optional = p.eat("?");
    p.ws();
    if p.pos != text.len() {
        return Err(p.error("expected the end of the type"));
    }
    Ok((ty, optional))
}

struct TypeParser<'a> {
    text: &'a str,
    pos: usize,
}

impl TypeParser<'_> {
    fn ws(&mut self) {
        while self.text[self.pos..].starts_with(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, token: &str) -> bool {
        self.ws();
        if self.text[self.pos..].starts_with(token) {
            self.pos += token.len();
            true
        } else {
            false
        }
    }

    fn error(&self, message: &str) -> TypeSyntaxError {
        TypeSyntaxError { offset: self.pos, message: message.to_string() }
    }

    fn expect(&mut self, token: &str) -> Result<(), TypeSyntaxError> {
        if self.eat(token) {
            Ok(())
        } else {
            Err(self.error(&format!("expected `{token}`")))
        }
    }

    fn ident(&mut self) -> Option<&str> {
        self.ws();
        let rest = &self.text[self.pos..];
        let len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')).unwrap_or(rest.len());
        if len == 0 {
            return None;
        }
        self.pos += len;
        Some(&rest[..len])
    }

    fn ty(&mut self) -> Result<Type, TypeSyntaxError> {
        if self.eat("{") {
            let mut record = Record::default();
            if self.eat("}") {
                return Ok(Type::Record(record));
            }
            loop {
                let start = self.pos;
                let Some(name) = self.ident().map(str::to_string) else {
                    return Err(self.error("expected a field name"));
                };
                if record.field(&name).is_some() {
                    self.pos = start;
                    return Err(self.error(&format!("field `{name}` is declared twice")));
                }
                self.expect(":")?;
                let ty = self.ty()?;
                let optional = self.eat("?");
                record.fields.push(Field { name, ty, optional });
                if self.eat("}") {
                    return Ok(Type::Record(record));
                }
                self.expect(",")?;
            }
        }
        let start = self.pos;
        let Some(name) = self.ident().map(str::to_string) else {
            return Err(self.error("expected a type: bool, int, string, dyn, list<T>, map<string, T> or {...}"));
        };
        match name.as_str() {
            "bool" => Ok(Type::Bool),
            "int" => Ok(Type::Int),
            "string" => Ok(Type::String),
            "dyn" => Ok(Type::Dyn),
            "list" => {
                self.expect("<")?;
                let item = self.ty()?;
                self.expect(">")?;
                Ok(Type::List(Box::new(item)))
            }
            "map" => {
                self.expect("<")?;
                if self.ident().map(str::to_string).as_deref() != Some("string") {
                    return Err(self.error("map keys must be `string`"));
                }
                self.expect(",")?;
                let value = self.ty()?;
                self.expect(">")?;
                Ok(match value {
                    Type::Dyn => Type::Record(Record { fields: Vec::new(), open: true }),
                    value => Type::Map(Box::new(value)),
                })
            }
            "double" | "float" | "uint" | "bytes" | "timestamp" | "duration" => {
                self.pos = start;
                Err(self.error(&format!("`{name}` is not supported by the policy language")))
            }
            other => {
                self.pos = start;
                Err(self.error(&format!("unknown type `{other}`")))
            }
        }
    }
}

/// The built-in schema of the post-login event (v3), in `[attributes]` syntax.
///
/// Source: `event` tables of the Auth0 post-login reference (required vs optional fields).
/// Number fields that may be fractional (`geoip.latitude`) are `dyn`: the language has no doubles.
const EVENT: &str = "{
  secrets: map<string, string>,
  configuration: map<string, string>,
  user: {
    user_id: string, email_verified: bool, created_at: string, updated_at: string,
    app_metadata: map<string, dyn>, user_metadata: map<string, dyn>,
    identities: list<{connection: string?, provider: string?, user_id: string?, isSocial: bool?,
                      profileData: map<string, dyn>?}>,
    email: string?, username: string?, name: string?, given_name: string?, family_name: string?,
    nickname: string?, picture: string?, phone_number: string?, phone_verified: bool?,
    last_password_reset: string?,
    enrolledFactors: list<{type: string, options: map<string, dyn>?}>?,
    multifactor: list<string>?
  },
  client: {client_id: string, name: string, metadata: map<string, string>},
  connection: {id: string, name: string, strategy: string, metadata: map<string, string>?},
  request: {
    ip: string, method: string, query: map<string, dyn>, body: map<string, dyn>,
    geoip: {cityName: string?, continentCode: string?, countryCode: string?, countryCode3: string?,
            countryName: string?, latitude: dyn?, longitude: dyn?, subdivisionCode: string?,
            subdivisionName: string?, timeZone: string?},
    hostname: string?, asn: string?, language: string?, user_agent: string?
  },
  stats: {logins_count: int},
  tenant: {id: string},
  transaction: {
    id: string?, acr_values: list<string>?, linking_id: string?, locale: string?,
    login_hint: string?, prompt: list<string>?, protocol: string?, redirect_uri: string?,
    requested_scopes: list<string>?, response_mode: string?, response_type: list<string>?,
    state: string?, ui_locales: list<string>?, correlation_id: string?,
    metadata: map<string, dyn>
  }?,
  authentication: {
    methods: list<{name: string, timestamp: string, type: string?}>,
    riskAssessment: map<string, dyn>?
  }?,
  authorization: {roles: list<string>}?,
  organization: {id: string, name: string, display_name: string, metadata: map<string, string>}?,
  resource_server: {identifier: string}?,
  session: {
    id: string, authenticated_at: string?, created_at: string?, updated_at: string?,
    expires_at: string?, idle_expires_at: string?, last_interacted_at: string?, user_id: string?,
    clients: list<{client_id: string}>?, metadata: map<string, dyn>?
  }?,
  refresh_token: map<string, dyn>?,
  prompt: {id: string, fields: map<string, dyn>?, vars: map<string, dyn>?}?,
  custom_domain: {domain: string, domain_metadata: map<string, string>}?,
  security_context: {ja3: string?, ja4: string?}?
}";

/// The schema of the event as rules see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    root: Record,
}

/// Why an `[attributes]` entry cannot be merged into the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeclareError {
    /// The path's first segment is not a top-level event field.
    UnknownRoot {
        /// Close top-level names.
        suggestion: Option<String>,
    },
    /// A prefix of the path is not a record or map (e.g. `user.email.x`).
    NotAnObject {
        /// The prefix.
        prefix: String,
        /// Its type.
        ty: String,
    },
    /// The path names a built-in field with a different, non-`dyn` type.
    Conflict {
        /// The built-in type.
        builtin: String,
    },
}

impl Schema {
    /// The built-in post-login event schema.
    pub fn builtin() -> Schema {
        match parse_type(EVENT) {
            Ok((Type::Record(root), _)) => Schema { root },
            // The schema text is a constant checked by a unit test; this arm is unreachable.
            _ => Schema { root: Record::default() },
        }
    }

    /// The top-level record.
    pub fn root(&self) -> &Record {
        &self.root
    }

    /// Declares `path` (dot-separated) with `ty`, refining an open map or `dyn` on the way.
    ///
    /// # Errors
    ///
    /// [`DeclareError`] when the path cannot hold a declaration.
    pub fn declare(&mut self, path: &str, ty: Type, optional: bool) -> Result<(), DeclareError> {
        let segments: Vec<&str> = path.split('.').collect();
        let Some((first, _)) = segments.split_first() else {
            return Err(DeclareError::UnknownRoot { suggestion: None });
        };
        if self.root.field(first).is_none() {
            let names: Vec<&str> = self.root.fields.iter().map(|f| f.name.as_str()).collect();
            return Err(DeclareError::UnknownRoot { suggestion: suggest(first, &names) });
        }
        declare_in(&mut self.root, &segments, 0, ty, optional)
    }
}

fn declare_in(record: &mut Record, segments: &[&str], at: usize, ty: Type, optional: bool) -> Result<(), DeclareError> {
    let name = segments[at];
    let last = at + 1 == segments.len();
    let index = match record.fields.iter().position(|f| f.name == name) {
        Some(i) => i,
        None => {
            // New keys may be added to any record: users have connection-specific attributes and
            // metadata keys the built-in schema cannot know.
            let ty = if last { ty.clone() } else { Type::Record(Record { fields: vec![], open: true }) };
            record.fields.push(Field { name: name.to_string(), ty, optional: !last || optional });
            if last {
                return Ok(());
            }
            record.fields.len() - 1
        }
    };
    let field = &mut record.fields[index];
    if last {
        return match &field.ty {
            Type::Dyn => {
                field.ty = ty;
                field.optional = optional;
                Ok(())
            }
            Type::Record(r) if r.open && r.fields.is_empty() => {
                field.ty = ty;
                field.optional = optional;
                Ok(())
            }
            existing if *existing == ty => {
                field.optional = optional;
                Ok(())
            }
            existing => Err(DeclareError::Conflict { builtin: existing.to_string() }),
        };
    }
    match &mut field.ty {
        Type::Record(r) => declare_in(r, segments, at + 1, ty, optional),
        Type::Dyn => {
            field.ty = Type::Record(Record { fields: vec![], open: true });
            match &mut field.ty {
                Type::Record(r) => declare_in(r, segments, at + 1, ty, optional),
                _ => Ok(()),
            }
        }
        Type::Map(value) => {
            // Every key of a typed map already has the map's value type: declaring one is only
            // allowed when it says the same thing.
            if at + 2 == segments.len() && **value == ty {
                Ok(())
            } else {
                Err(DeclareError::Conflict { builtin: format!("{value} (the map's value type)") })
            }
        }
        other => Err(DeclareError::NotAnObject { prefix: segments[..=at].join("."), ty: other.to_string() }),
    }
}

/// Builds the schema: the built-in event merged with `[attributes]`.
pub fn declare_attributes(ast: &PolicyAst, source: &Source, diags: &mut Diagnostics) -> Schema {
    let mut schema = Schema::builtin();
    for attr in &ast.attributes {
        let (ty, optional) = match parse_type(&attr.ty.value) {
            Ok(t) => t,
            Err(e) => {
                // Type strings are short and rarely escaped: point into a plain string, else at it.
                let raw = source.text().get(attr.ty.span.clone()).unwrap_or("");
                let span = if raw.len() == attr.ty.value.len() + 2 {
                    // Underline the offending word (or one character).
                    let word = attr.ty.value[e.offset.min(attr.ty.value.len())..]
                        .find(|c: char| !c.is_ascii_alphanumeric())
                        .unwrap_or(attr.ty.value.len() - e.offset.min(attr.ty.value.len()))
                        .max(1);
                    let at = attr.ty.span.start + 1 + e.offset;
                    at..(at + word).min(attr.ty.span.end - 1).max(at)
                } else {
                    attr.ty.span.clone()
                };
                let problem = InvalidAttribute::Type {
                    path: attr.path.value.clone(),
                    ty: attr.ty.value.clone(),
                    error: e.message,
                };
                diags.push(problem.at(source, span));
                continue;
            }
        };
        if let Err(e) = schema.declare(&attr.path.value, ty, optional) {
            let path = attr.path.value.clone();
            let span = attr.path.span.clone();
            diags.push(match e {
                DeclareError::UnknownRoot { suggestion } => {
                    UnknownAttribute::Declared { path, suggestion }.at(source, span)
                }
                DeclareError::NotAnObject { prefix, ty } => {
                    InvalidAttribute::NotAnObject { path, prefix, ty }.at(source, span)
                }
                DeclareError::Conflict { builtin } => InvalidAttribute::Conflict { path, builtin }.at(source, span),
            });
        }
    }
    schema
}

/// The closest of `candidates` to `name` (Jaro-Winkler), if close enough to be a typo.
pub fn suggest(name: &str, candidates: &[&str]) -> Option<String> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(name, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_string())
}
