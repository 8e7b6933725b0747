//! The engine's value model and its JSON reader and writer.
//!
//! The same reader and writer run natively and inside the WASM engine, so a native reference run
//! and the shipped Action see identical data. They are hand-written on purpose: `serde_json` would
//! add its float parser and formatter to the WASM (about 20 KB gzipped, see `docs/PERFORMANCE.md`),
//! and the policy language has no doubles.
//!
//! One rule types JSON numbers, whoever reads them: a number whose value is a whole number of
//! magnitude at most 2^53 − 1 (JavaScript's safe integers) is an `int`, however it is written
//! (`12`, `12.0`, `1.2e1`, `-0`); any other number is a double, outside the policy language, and
//! is kept verbatim as [`Value::Number`] so nothing is lost when it is copied into a claim. The
//! generated Action hands the engine `JSON.stringify`'s text, which writes safe integers as plain
//! digits, so `explain`, inline tests, the harness and Auth0 agree on every number.

use alloc::string::String;
use alloc::vec::Vec;

/// A JSON-shaped value as the evaluator sees it.
///
/// Maps keep insertion order (JSON text order) so that claims copied from the event keep the
/// shape the event had; equality of maps ignores order, as CEL's does.
#[derive(Debug, Clone)]
pub enum Value {
    /// JSON `null`.
    Null,
    /// JSON `true` / `false`.
    Bool(bool),
    /// A JSON number whose value is a safe integer (see the module documentation).
    Int(i64),
    /// Any other JSON number, kept as its source text (CEL doubles are outside the subset).
    Number(String),
    /// A JSON string.
    Str(String),
    /// A JSON array.
    List(Vec<Value>),
    /// A JSON object, in source order, without duplicate keys (the last duplicate wins, as in
    /// `JSON.parse`).
    Map(Vec<(String, Value)>),
}

impl Value {
    /// The value of `key` in a map, or `None` if absent or if `self` is not a map.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string inside a [`Value::Str`].
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The CEL type name of the value, used in error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null_type",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Number(_) => "double",
            Value::Str(_) => "string",
            Value::List(_) => "list",
            Value::Map(_) => "map",
        }
    }

    /// JavaScript truthiness, for the features that reproduce hand-written snippets
    /// (`if (!event.client.metadata.x)`).
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Number(text) => !is_zero_number(text),
            Value::Str(s) => !s.is_empty(),
            Value::List(_) | Value::Map(_) => true,
        }
    }

    /// Inserts or replaces `key` in a map value. Does nothing on other values.
    pub fn insert(&mut self, key: &str, value: Value) {
        if let Value::Map(entries) = self {
            match entries.iter_mut().find(|(k, _)| k == key) {
                Some(slot) => slot.1 = value,
                None => entries.push((String::from(key), value)),
            }
        }
    }

    /// Serialises the value as compact JSON.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_json(self, &mut out);
        out
    }
}

fn is_zero_number(text: &str) -> bool {
    let mantissa = text.split(['e', 'E']).next().unwrap_or(text);
    mantissa.bytes().all(|b| matches!(b, b'0' | b'.' | b'-' | b'+'))
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::List(a), Value::List(b)) => a == b,
            (Value::Map(a), Value::Map(b)) => a.len() == b.len() && a.iter().all(|(k, v)| other.get(k) == Some(v)),
            _ => false,
        }
    }
}

/// Where and why a JSON text could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Byte offset of the problem in the input.
    pub offset: usize,
    /// What was wrong.
    pub kind: JsonErrorKind,
}

/// The kinds of [`JsonError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum JsonErrorKind {
    /// The input ended inside a value.
    UnexpectedEnd,
    /// A byte that cannot start or continue a value here.
    UnexpectedByte,
    /// A malformed `\` escape, or a lone surrogate.
    BadEscape,
    /// A malformed number.
    BadNumber,
    /// More than [`MAX_DEPTH`] nested arrays and objects.
    TooDeep,
    /// Something other than white space after the value.
    TrailingCharacters,
    /// The input is not UTF-8.
    NotUtf8,
}

impl JsonErrorKind {
    /// A short lowercase description.
    pub fn message(self) -> &'static str {
        match self {
            JsonErrorKind::UnexpectedEnd => "unexpected end of input",
            JsonErrorKind::UnexpectedByte => "unexpected character",
            JsonErrorKind::BadEscape => "invalid escape sequence",
            JsonErrorKind::BadNumber => "invalid number",
            JsonErrorKind::TooDeep => "nesting too deep",
            JsonErrorKind::TrailingCharacters => "trailing characters after the value",
            JsonErrorKind::NotUtf8 => "input is not UTF-8",
        }
    }
}

impl core::fmt::Display for JsonError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{} at byte {}", self.kind.message(), self.offset)
    }
}

impl core::error::Error for JsonError {}

/// How deeply arrays and objects may nest. Bounds the reader's (and the evaluator's) recursion,
/// which matters inside the WASM engine's 64 KB stack.
pub const MAX_DEPTH: usize = 96;

/// Reads one JSON value from `text`.
///
/// # Errors
///
/// Returns a [`JsonError`] with the byte offset of the first problem.
pub fn parse_json(text: &[u8]) -> Result<Value, JsonError> {
    match core::str::from_utf8(text) {
        Ok(text) => parse_json_str(text),
        Err(e) => Err(JsonError { offset: e.valid_up_to(), kind: JsonErrorKind::NotUtf8 }),
    }
}

/// Reads one JSON value from `text` (as [`parse_json`], without the UTF-8 check `&str` makes
/// unnecessary).
///
/// # Errors
///
/// Returns a [`JsonError`] with the byte offset of the first problem.
pub fn parse_json_str(text: &str) -> Result<Value, JsonError> {
    let mut reader = Reader { source: text, text: text.as_bytes(), pos: 0 };
    reader.skip_ws();
    let value = reader.value(0)?;
    reader.skip_ws();
    if reader.pos != reader.text.len() {
        return Err(reader.error(JsonErrorKind::TrailingCharacters));
    }
    Ok(value)
}

struct Reader<'a> {
    /// The text, as checked UTF-8 (the reader only ever cuts it at ASCII bytes).
    source: &'a str,
    /// The same text as bytes.
    text: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn error(&self, kind: JsonErrorKind) -> JsonError {
        JsonError { offset: self.pos, kind }
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.pos += 1;
        }
    }

    fn expect_word(&mut self, word: &[u8], value: Value) -> Result<Value, JsonError> {
        if self.text.get(self.pos..self.pos + word.len()) == Some(word) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error(JsonErrorKind::UnexpectedByte))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        match self.peek() {
            None => Err(self.error(JsonErrorKind::UnexpectedEnd)),
            Some(b'n') => self.expect_word(b"null", Value::Null),
            Some(b't') => self.expect_word(b"true", Value::Bool(true)),
            Some(b'f') => self.expect_word(b"false", Value::Bool(false)),
            Some(b'"') => self.string().map(Value::Str),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[') => {
                if depth >= MAX_DEPTH {
                    return Err(self.error(JsonErrorKind::TooDeep));
                }
                self.pos += 1;
                let mut items = Vec::new();
                self.skip_ws();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                    return Ok(Value::List(items));
                }
                loop {
                    self.skip_ws();
                    items.push(self.value(depth + 1)?);
                    self.skip_ws();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Value::List(items));
                        }
                        None => return Err(self.error(JsonErrorKind::UnexpectedEnd)),
                        Some(_) => return Err(self.error(JsonErrorKind::UnexpectedByte)),
                    }
                }
            }
            Some(b'{') => {
                if depth >= MAX_DEPTH {
                    return Err(self.error(JsonErrorKind::TooDeep));
                }
                self.pos += 1;
                let mut entries: Vec<(String, Value)> = Vec::new();
                self.skip_ws();
                if self.peek() == Some(b'}') {
                    self.pos += 1;
                    return Ok(Value::Map(entries));
                }
                loop {
                    self.skip_ws();
                    if self.peek() != Some(b'"') {
                        return Err(self.error(if self.peek().is_none() {
                            JsonErrorKind::UnexpectedEnd
                        } else {
                            JsonErrorKind::UnexpectedByte
                        }));
                    }
                    let key = self.string()?;
                    self.skip_ws();
                    match self.peek() {
                        Some(b':') => self.pos += 1,
                        None => return Err(self.error(JsonErrorKind::UnexpectedEnd)),
                        Some(_) => return Err(self.error(JsonErrorKind::UnexpectedByte)),
                    }
                    self.skip_ws();
                    let value = self.value(depth + 1)?;
                    // As `Value::insert`, but moving the key read into the map.
                    match entries.iter_mut().find(|(k, _)| *k == key) {
                        Some(slot) => slot.1 = value,
                        None => entries.push((key, value)),
                    }
                    self.skip_ws();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {
                            self.pos += 1;
                            return Ok(Value::Map(entries));
                        }
                        None => return Err(self.error(JsonErrorKind::UnexpectedEnd)),
                        Some(_) => return Err(self.error(JsonErrorKind::UnexpectedByte)),
                    }
                }
            }
            Some(_) => Err(self.error(JsonErrorKind::UnexpectedByte)),
        }
    }

    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let digits = self.digits();
        if digits == 0 {
            return Err(self.error(JsonErrorKind::BadNumber));
        }
        if digits > 1 && self.text[self.pos - digits] == b'0' {
            return Err(JsonError { offset: self.pos - digits, kind: JsonErrorKind::BadNumber });
        }
        let mut integral = true;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            integral = false;
            if self.digits() == 0 {
                return Err(self.error(JsonErrorKind::BadNumber));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            integral = false;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error(JsonErrorKind::BadNumber));
            }
        }
        let text = &self.text[start..self.pos];
        let whole = if integral { parse_i64(text) } else { whole_number(text) };
        if let Some(i) = whole.filter(|i| i.unsigned_abs() <= MAX_SAFE_INTEGER) {
            return Ok(Value::Int(i));
        }
        // The reader validated the number as ASCII digits and signs: `start..pos` cuts at ASCII.
        Ok(Value::Number(String::from(self.source.get(start..self.pos).unwrap_or_default())))
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut code = 0u32;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(self.error(JsonErrorKind::BadEscape)),
            };
            code = code * 16 + u32::from(digit);
            self.pos += 1;
        }
        Ok(code)
    }

    /// The text from `start` to the reader's position, which both lie at ASCII bytes.
    fn slice(&self, start: usize) -> &str {
        self.source.get(start..self.pos).unwrap_or_default()
    }

    /// Moves past the bytes a string holds unescaped, up to a quote, a backslash, a control
    /// character or the end.
    fn plain_run(&mut self) {
        while let Some(b) = self.peek() {
            if b == b'"' || b == b'\\' || b < 0x20 {
                break;
            }
            self.pos += 1;
        }
    }

    fn string(&mut self) -> Result<String, JsonError> {
        // Past the opening quote. Most strings have no escape: copied once, at their size.
        self.pos += 1;
        let start = self.pos;
        self.plain_run();
        if self.peek() == Some(b'"') {
            self.pos += 1;
            return Ok(String::from(self.source.get(start..self.pos - 1).unwrap_or_default()));
        }
        let mut out = String::new();
        let mut run = start;
        loop {
            self.plain_run();
            out.push_str(self.slice(run));
            match self.peek() {
                None => return Err(self.error(JsonErrorKind::UnexpectedEnd)),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let escaped = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            let high = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&high) {
                                if self.text.get(self.pos..self.pos + 2) != Some(b"\\u") {
                                    return Err(self.error(JsonErrorKind::BadEscape));
                                }
                                self.pos += 2;
                                let low = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&low) {
                                    return Err(self.error(JsonErrorKind::BadEscape));
                                }
                                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                high
                            };
                            match char::from_u32(code) {
                                Some(c) => out.push(c),
                                None => return Err(self.error(JsonErrorKind::BadEscape)),
                            }
                            run = self.pos;
                            continue;
                        }
                        None => return Err(self.error(JsonErrorKind::UnexpectedEnd)),
                        Some(_) => return Err(self.error(JsonErrorKind::BadEscape)),
                    };
                    out.push(escaped);
                    self.pos += 1;
                }
                Some(_) => return Err(self.error(JsonErrorKind::UnexpectedByte)),
            }
            run = self.pos;
        }
    }
}

/// The largest integer a JavaScript number holds exactly (2^53 − 1).
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// The value of a validated JSON number with a fraction or an exponent (`12.0`, `1.2e1`) when
/// it is a whole number that fits an `i64`; computed on the decimal digits, without floats.
fn whole_number(text: &[u8]) -> Option<i64> {
    let (negative, text) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    let mantissa_end = text.iter().position(|b| matches!(b, b'e' | b'E')).unwrap_or(text.len());
    let (mantissa, exponent) = text.split_at(mantissa_end);
    let exponent: i64 = match exponent.split_first() {
        None => 0,
        Some((_, rest)) => {
            let (sign, digits) = match rest.split_first() {
                Some((b'-', digits)) => (-1, digits),
                Some((b'+', digits)) => (1, digits),
                _ => (1, rest),
            };
            // A longer exponent is far outside the i64 range either way.
            if digits.len() > 6 {
                return if sign < 0 && mantissa.iter().all(|b| matches!(b, b'0' | b'.')) { Some(0) } else { None };
            }
            sign * digits.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0'))
        }
    };
    let point = mantissa.iter().position(|b| *b == b'.').unwrap_or(mantissa.len());
    let fraction_len = mantissa.len().saturating_sub(point + 1) as i64;
    let mut digits: Vec<u8> = mantissa.iter().copied().filter(u8::is_ascii_digit).collect();
    // value = digits × 10^shift
    let shift = exponent - fraction_len;
    if shift >= 0 {
        if digits.iter().all(|d| *d == b'0') {
            return Some(0);
        }
        if shift > 19 {
            return None;
        }
        digits.extend(core::iter::repeat_n(b'0', shift as usize));
    } else {
        let drop = usize::try_from(-shift).ok()?;
        if drop > digits.len() {
            return if digits.iter().all(|d| *d == b'0') { Some(0) } else { None };
        }
        if digits[digits.len() - drop..].iter().any(|d| *d != b'0') {
            return None;
        }
        digits.truncate(digits.len() - drop);
    }
    let start = digits.iter().position(|d| *d != b'0').unwrap_or(digits.len());
    if digits.len() - start > 19 {
        return None;
    }
    let magnitude = parse_i64(&digits[start..])?;
    Some(if negative { -magnitude } else { magnitude })
}

fn parse_i64(text: &[u8]) -> Option<i64> {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    // Accumulate negatively so that i64::MIN parses.
    let mut acc: i64 = 0;
    for &d in digits {
        acc = acc.checked_mul(10)?.checked_sub(i64::from(d - b'0'))?;
    }
    if negative {
        Some(acc)
    } else {
        acc.checked_neg()
    }
}

/// Appends `value` as compact JSON to `out`.
pub fn write_json(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Int(i) => write_i64(*i, out),
        Value::Number(text) => out.push_str(text),
        Value::Str(s) => write_json_string(s, out),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        Value::Map(entries) => {
            out.push('{');
            for (i, (key, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(key, out);
                out.push(':');
                write_json(item, out);
            }
            out.push('}');
        }
    }
}

/// Appends `s` as a JSON string literal (quoted and escaped) to `out`.
pub fn write_json_string(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(s.len() + 2);
    out.push('"');
    // Bytes that need no escape are copied in runs. Every character that does is ASCII or
    // starts with 0xE2, so `i` is always a character boundary.
    let bytes = s.as_bytes();
    let mut run_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..0x20 => "",
            // U+2028/2029 are valid in JSON but end lines in older JS parsers; escape them so the
            // text can also be pasted into JS source.
            0xE2 if matches!(bytes.get(i + 1..i + 3), Some([0x80, 0xA8 | 0xA9])) => "",
            _ => continue,
        };
        out.push_str(s.get(run_start..i).unwrap_or_default());
        if escape.is_empty() {
            let (code, len) = if b == 0xE2 {
                (if bytes.get(i + 2) == Some(&0xA8) { 0x2028 } else { 0x2029 }, 3)
            } else {
                (u32::from(b), 1)
            };
            run_start = i + len;
            out.push_str("\\u");
            for shift in [12, 8, 4, 0] {
                out.push(char::from(HEX[((code >> shift) & 0xF) as usize]));
            }
        } else {
            run_start = i + 1;
            out.push_str(escape);
        }
    }
    out.push_str(s.get(run_start..).unwrap_or_default());
    out.push('"');
}

/// Appends the decimal form of `i` without `core::fmt` (keeps the formatter out of the WASM).
pub fn write_i64(i: i64, out: &mut String) {
    let mut buf = [0u8; 20];
    let mut n = i.unsigned_abs();
    let mut pos = buf.len();
    loop {
        pos -= 1;
        buf[pos] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if i < 0 {
        out.push('-');
    }
    for &b in &buf[pos..] {
        out.push(char::from(b));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec;

    fn parse(text: &str) -> Result<Value, JsonError> {
        parse_json(text.as_bytes())
    }

    #[test]
    fn reads_and_writes_every_kind() {
        let text = r#"{"a":null,"b":[true,false],"c":-12,"d":1.5e-3,"e":"x\"\\\n\u00e9\ud83d\ude00","f":{}}"#;
        let value = parse(text).unwrap();
        assert_eq!(value.get("c"), Some(&Value::Int(-12)));
        assert_eq!(value.get("d"), Some(&Value::Number("1.5e-3".to_string())));
        assert_eq!(value.get("e").and_then(Value::as_str), Some("x\"\\\né😀"));
        assert_eq!(value.to_json(), r#"{"a":null,"b":[true,false],"c":-12,"d":1.5e-3,"e":"x\"\\\né😀","f":{}}"#);
    }

    #[test]
    fn strings_with_runs_between_escapes() {
        for (text, expected) in [
            (r#""plain""#, "plain"),
            (r#""""#, ""),
            (r#""ab\ncd\u00e9ef\\gh""#, "ab\ncd\u{e9}ef\\gh"),
            (r#""\"lead and trail\"""#, "\"lead and trail\""),
            ("\"é ünïcode 😀 \\t\"", "é ünïcode 😀 \t"),
        ] {
            assert_eq!(parse(text).unwrap(), Value::Str(expected.to_string()), "{text}");
        }
        assert_eq!(parse("\"a\u{1}b\"").unwrap_err(), JsonError { offset: 2, kind: JsonErrorKind::UnexpectedByte });
        assert_eq!(parse("\"ab\\n").unwrap_err(), JsonError { offset: 5, kind: JsonErrorKind::UnexpectedEnd });
        assert_eq!(parse_json_str(r#"{"k":"v","k":"w"}"#).unwrap().to_json(), r#"{"k":"w"}"#);
    }

    #[test]
    fn integers_at_the_edges() {
        // Safe integers (JavaScript's exact range) are ints, however written; others are doubles.
        assert_eq!(parse("9007199254740991").unwrap(), Value::Int(9_007_199_254_740_991));
        assert_eq!(parse("-9007199254740991").unwrap(), Value::Int(-9_007_199_254_740_991));
        assert_eq!(parse("9007199254740992").unwrap(), Value::Number("9007199254740992".to_string()));
        assert_eq!(parse("-9223372036854775808").unwrap(), Value::Number("-9223372036854775808".to_string()));
        assert_eq!(parse("9223372036854775808").unwrap(), Value::Number("9223372036854775808".to_string()));
        for (text, int) in [
            ("12.0", 12),
            ("1.2e1", 12),
            ("1200e-2", 12),
            ("0.12E+2", 12),
            ("-0", 0),
            ("-0.0", 0),
            ("0e400", 0),
            ("0.000e-9999999", 0),
            ("-5.000", -5),
            ("9007199254740.991e3", 9_007_199_254_740_991),
        ] {
            assert_eq!(parse(text).unwrap(), Value::Int(int), "{text}");
        }
        for text in
            ["12.5", "1.25e1", "1e-1", "1e400", "9007199254740.992e3", "1e-9999999", "123456789012345678901234.0"]
        {
            assert_eq!(parse(text).unwrap(), Value::Number(text.to_string()), "{text}");
        }
        let mut out = String::new();
        write_i64(i64::MIN, &mut out);
        assert_eq!(out, "-9223372036854775808");
    }

    #[test]
    fn errors_carry_offsets() {
        let cases = [
            ("", 0, JsonErrorKind::UnexpectedEnd),
            ("{\"a\" 1}", 5, JsonErrorKind::UnexpectedByte),
            ("[1,]", 3, JsonErrorKind::UnexpectedByte),
            ("01", 0, JsonErrorKind::BadNumber),
            ("\"\\x\"", 2, JsonErrorKind::BadEscape),
            ("\"\\ud800\"", 7, JsonErrorKind::BadEscape),
            ("true false", 5, JsonErrorKind::TrailingCharacters),
            ("[1", 2, JsonErrorKind::UnexpectedEnd),
        ];
        for (text, offset, kind) in cases {
            assert_eq!(parse(text), Err(JsonError { offset, kind }), "{text}");
        }
        assert_eq!(parse_json(b"\"\xff\"").unwrap_err().kind, JsonErrorKind::NotUtf8);
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert_eq!(parse(&deep).unwrap_err().kind, JsonErrorKind::TooDeep);
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn duplicate_keys_keep_the_last_value_like_json_parse() {
        assert_eq!(parse(r#"{"a":1,"a":2}"#).unwrap().to_json(), r#"{"a":2}"#);
    }

    #[test]
    fn map_equality_ignores_order() {
        assert_eq!(parse(r#"{"a":1,"b":2}"#).unwrap(), parse(r#"{"b":2,"a":1}"#).unwrap());
        assert_ne!(parse(r#"{"a":1}"#).unwrap(), parse(r#"{"a":1,"b":2}"#).unwrap());
    }

    #[test]
    fn control_characters_are_escaped() {
        let mut out = String::new();
        write_json_string("\u{1}\u{2028}", &mut out);
        assert_eq!(out, "\"\\u0001\\u2028\"");
        let _ = vec![0u8];
    }
}
