//! CEL text → `cel` AST, plus where each node was written.
//!
//! Expressions are parsed with the `cel` crate's parser *without* macro expansion (an
//! `Env::default()` parser): `has(x.f)`, `l.exists(v, p)` and `l.all(v, p)` stay the calls they
//! were written as, so the checker recognises them exactly and points at them as written, and
//! `map`/`filter`/`exists_one` can be refused by name. The AST and positions are the same as
//! those of `cel::Program::compile` otherwise.

use std::ops::Range;

use cel::common::ast::{EntryExpr, Expr, SourceInfo};
use cel::IdedExpr;

use super::ast::CelSource;

/// A parsed CEL expression with its positions.
#[derive(Debug)]
pub struct ParsedCel {
    /// The AST.
    pub expr: IdedExpr,
    info: SourceInfo,
    text: String,
}

/// A CEL syntax error: the byte range in the expression text and the parser's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CelSyntaxError {
    /// Where, in the expression text.
    pub range: Range<usize>,
    /// The parser's message (cel-go wording).
    pub message: String,
}

/// Parses `source` with the `cel` crate.
///
/// # Errors
///
/// Every syntax error the parser reports.
pub fn parse_cel(source: &CelSource) -> Result<ParsedCel, Vec<CelSyntaxError>> {
    let text = source.text.as_str();
    let env = cel::Env::default().with_optional_support(false);
    // The ANTLR parser reports problems through its listeners rather than panicking, but it is
    // third-party code running on user input: a panic is turned into an ordinary error.
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| env.parser().parse_with_source_info(text)));
    match parsed {
        Ok(Ok((expr, info))) => Ok(ParsedCel { expr, info, text: text.to_string() }),
        Ok(Err(errors)) => Err(errors
            .errors
            .iter()
            .map(|e| CelSyntaxError { range: position(text, e.pos.0, e.pos.1), message: e.msg.clone() })
            .collect()),
        Err(_) => Err(vec![CelSyntaxError { range: 0..text.len(), message: "the CEL parser failed".into() }]),
    }
}

/// A token that other languages accept where CEL does not, and what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mistake {
    /// The token as written.
    pub found: &'static str,
    /// The CEL for it.
    pub instead: &'static str,
    /// Why, in a few words.
    pub why: &'static str,
}

/// The first habit from another language in `text` (outside string literals): `=` for `==`,
/// and the words `and`, `or`, `not` for `&&`, `||`, `!`. Only called on text that does not
/// parse, so a correct expression is never second-guessed.
pub fn common_mistake(text: &str) -> Option<(Range<usize>, Mistake)> {
    let bytes = text.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if let Some(q) = quote {
            if b == b'\\' {
                i += 2;
                continue;
            }
            if b == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        match b {
            b'"' | b'\'' => quote = Some(b),
            b'=' => {
                let before = i.checked_sub(1).map(|p| bytes[p]);
                let after = bytes.get(i + 1).copied();
                if after == Some(b'=') {
                    i += 2;
                    continue;
                }
                if !matches!(before, Some(b'=' | b'!' | b'<' | b'>')) {
                    let mistake = Mistake {
                        found: "=",
                        instead: "==",
                        why: "`=` assigns in other languages; CEL compares with `==`",
                    };
                    return Some((i..i + 1, mistake));
                }
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                // A field name (`a.and`) is not a keyword.
                let selected = start > 0 && bytes[start - 1] == b'.';
                let word = &text[start..i];
                let mistake = match word {
                    "and" => Some(Mistake { found: "and", instead: "&&", why: "CEL writes logical and as `&&`" }),
                    "or" => Some(Mistake { found: "or", instead: "||", why: "CEL writes logical or as `||`" }),
                    "not" => Some(Mistake { found: "not", instead: "!", why: "CEL writes logical not as `!`" }),
                    _ => None,
                };
                if let (Some(mistake), false) = (mistake, selected) {
                    return Some((start..i, mistake));
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The byte range of one character at 1-based `line` and `col` (characters).
fn position(text: &str, line: isize, col: isize) -> Range<usize> {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i as isize + 1 == line {
            let col = usize::try_from(col.max(1) - 1).unwrap_or(0);
            let at = l.char_indices().nth(col).map_or(l.len(), |(b, _)| b);
            let start = offset + at;
            let end = text[start..].chars().next().map_or(start, |c| start + c.len_utf8());
            return start..end;
        }
        offset += l.len();
    }
    text.len()..text.len()
}

impl ParsedCel {
    /// The text the expression was parsed from.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The byte range of the token recorded for node `id`.
    fn token(&self, id: u64) -> Option<Range<usize>> {
        let (start, stop) = self.info.offset_for(id)?;
        let (start, stop) = (start as usize, stop as usize);
        let end = self.text.get(stop..)?.chars().next().map_or(stop, |c| stop + c.len_utf8());
        Some(start..end.max(start))
    }

    /// The byte range of the whole sub-expression `e` in the expression text.
    pub fn range(&self, e: &IdedExpr) -> Range<usize> {
        let own = self.token(e.id);
        // Starts inverted (start > end) so that the first `add` sets both ends.
        let mut range = own.clone().unwrap_or(Range { start: usize::MAX, end: 0 });
        let mut add = |r: Range<usize>| {
            range.start = range.start.min(r.start);
            range.end = range.end.max(r.end);
        };
        match &e.expr {
            Expr::Select(s) => {
                add(self.range(&s.operand));
                if let Some(dot) = &own {
                    // The node's token is the `.`; the field name follows it.
                    if let Some(at) = self.text[dot.end..].find(s.field.as_str()) {
                        add(dot.end + at..dot.end + at + s.field.len());
                    }
                }
            }
            Expr::Call(c) => {
                if let Some(t) = &c.target {
                    add(self.range(t));
                }
                for a in &c.args {
                    add(self.range(a));
                }
                if let Some(tok) = &own {
                    let is_call = self.text.get(tok.clone()) == Some("(");
                    if is_call && c.target.is_none() {
                        // A global call's token is its `(`: the name is right before it.
                        let before = self.text[..tok.start].trim_end();
                        if before.ends_with(c.func_name.as_str()) {
                            add(before.len() - c.func_name.len()..tok.end);
                        }
                    }
                    if is_call {
                        self.close(&mut range, ')');
                    } else if c.func_name == "_[_]" {
                        self.close(&mut range, ']');
                    }
                }
            }
            Expr::List(l) => {
                for item in &l.elements {
                    add(self.range(item));
                }
                self.close(&mut range, ']');
            }
            Expr::Map(m) => {
                for entry in &m.entries {
                    if let EntryExpr::MapEntry(me) = &entry.expr {
                        add(self.range(&me.key));
                        add(self.range(&me.value));
                    }
                }
                self.close(&mut range, '}');
            }
            _ => {}
        }
        if range.start > range.end {
            return 0..self.text.len();
        }
        range
    }

    /// Extends `range` over a closing bracket that follows it (after blanks).
    fn close(&self, range: &mut Range<usize>, closer: char) {
        let rest = &self.text[range.end.min(self.text.len())..];
        let trimmed = rest.trim_start();
        if trimmed.starts_with(closer) {
            range.end += rest.len() - trimmed.len() + 1;
        }
    }

    /// The source text of a sub-expression.
    pub fn snippet(&self, e: &IdedExpr) -> &str {
        self.text.get(self.range(e)).unwrap_or("")
    }
}
