//! cel-spec conformance cases for the subset (from `tests/simple/testdata/{logic,comparisons,
//! lists,macros,string,fields}.textproto`), run through the whole pipeline: each expression is
//! compiled as a claim value and evaluated by the engine. `Err(())` means the spec expects an
//! evaluation error.

use action_core::value::{parse_json, Value};
use action_core::{decide, Decision};

const HEAD: &str = r#"version = 1
[api]
identifier = "api"
[attributes]
"user.app_metadata.m" = "map<string, int>"
"user.app_metadata.e" = "list<string>"
[[rule]]
id = "r"
when = 'true'
[[rule.claim]]
name = "https://example.com/v"
"#;

/// (suite, expression, expected value as JSON, or `None` for an error).
const CASES: &[(&str, &str, Option<&str>)] = &[
    // logic
    ("logic", "true && false", Some("false")),
    ("logic", "false && (1 / 0 == 1)", Some("false")),
    ("logic", "(1 / 0 == 1) && false", Some("false")),
    ("logic", "(1 / 0 == 1) && true", None),
    ("logic", "true || (1 / 0 == 1)", Some("true")),
    ("logic", "(1 / 0 == 1) || true", Some("true")),
    ("logic", "(1 / 0 == 1) || false", None),
    ("logic", "!false", Some("true")),
    ("logic", "true ? 1 : 1 / 0", Some("1")),
    ("logic", "false ? 1 / 0 : 2", Some("2")),
    // comparisons
    ("comparisons", "1 == 1", Some("true")),
    ("comparisons", "-1 < 0", Some("true")),
    ("comparisons", "\"abc\" < \"abd\"", Some("true")),
    ("comparisons", "\"a\" <= \"a\"", Some("true")),
    ("comparisons", "false < true", Some("true")),
    ("comparisons", "[1, 2] == [1, 2]", Some("true")),
    ("comparisons", "[1, 2] != [2, 1]", Some("true")),
    ("comparisons", "{\"a\": 1, \"b\": 2} == {\"b\": 2, \"a\": 1}", Some("true")),
    ("comparisons", "null == null", Some("true")),
    // integer math
    ("integer_math", "7 / 2", Some("3")),
    ("integer_math", "-7 / 2", Some("-3")),
    ("integer_math", "-7 % 3", Some("-1")),
    ("integer_math", "1 / 0", None),
    ("integer_math", "1 % 0", None),
    ("integer_math", "9223372036854775807 + 1", None),
    ("integer_math", "-9223372036854775807 - 2", None),
    ("integer_math", "-(-9223372036854775807 - 1)", None),
    // lists
    ("lists", "[1, 2] + [3]", Some("[1,2,3]")),
    ("lists", "2 in [1, 2, 3]", Some("true")),
    ("lists", "4 in [1, 2, 3]", Some("false")),
    ("lists", "[1, 2, 3][1]", Some("2")),
    ("lists", "[1, 2, 3][3]", None),
    ("lists", "[1, 2, 3][-1]", None),
    ("lists", "size([1, 2, 3])", Some("3")),
    ("lists", "[].size()", Some("0")),
    // maps
    ("maps", "\"a\" in {\"a\": 1}", Some("true")),
    ("maps", "{\"a\": 1}[\"a\"]", Some("1")),
    ("maps", "{\"a\": 1}[\"b\"]", None),
    ("maps", "size({\"a\": 1, \"b\": 2})", Some("2")),
    // macros
    ("macros", "[1, 2, 3].exists(x, x > 2)", Some("true")),
    ("macros", "[1, 2, 3].all(x, x > 0)", Some("true")),
    ("macros", "[].exists(x, x > 0)", Some("false")),
    ("macros", "[].all(x, x > 0)", Some("true")),
    ("macros", "[0, 1].exists(x, 1 / x == 1)", Some("true")),
    ("macros", "[0, 2].exists(x, 1 / x == 1)", None),
    ("macros", "[0, 1].all(x, 1 / x == 2)", Some("false")),
    ("macros", "{\"a\": 1, \"b\": 2}.all(k, k != \"c\")", Some("true")),
    ("macros", "[[1], [2, 3]].exists(l, l.exists(x, x == 3))", Some("true")),
    // strings
    ("string", "size(\"héllo\")", Some("5")),
    ("string", "\"hello\".startsWith(\"he\")", Some("true")),
    ("string", "\"hello\".endsWith(\"lo\")", Some("true")),
    ("string", "\"hello\".contains(\"ell\")", Some("true")),
    ("string", "\"\".contains(\"\")", Some("true")),
    ("string", "\"ab\" + \"cd\"", Some("\"abcd\"")),
    ("string_ext", "\"TacoCAT\".lowerAscii()", Some("\"tacocat\"")),
    ("string_ext", "\"ÀB\".lowerAscii()", Some("\"Àb\"")),
    // fields and has
    ("fields", "has(user.app_metadata.m) && user.app_metadata.m.size() == 1", Some("true")),
    ("fields", "has(user.app_metadata.m.x)", Some("true")),
    ("fields", "has(user.app_metadata.m.y)", Some("false")),
    ("fields", "user.app_metadata.m[\"y\" + \"\"]", None),
    ("fields", "has(user.app_metadata.e) && user.app_metadata.e.exists(s, s == \"a\")", Some("true")),
];

fn evaluate(expr: &str) -> Result<Value, String> {
    let src = format!("{HEAD}value = '{expr}'\n");
    let compiled = policy::compile(&src, "conformance.toml").map_err(|d| {
        format!("does not compile: {:?}", d.iter().map(|e| e.message().to_string()).collect::<Vec<_>>())
    })?;
    let event =
        parse_json(br#"{"resource_server":{"identifier":"api"},"user":{"app_metadata":{"m":{"x":1},"e":["a","b"]}}}"#)
            .map_err(|e| e.to_string())?;
    let outcome = decide(&compiled.policy, &event);
    match outcome.decisions.first() {
        Some(Decision::SetClaim { value, .. }) => Ok(value.clone()),
        _ => Err("evaluation error".into()),
    }
}

#[test]
fn conformance_subset() {
    let mut failures = Vec::new();
    for (suite, expr, expected) in CASES {
        let got = evaluate(expr);
        let ok = match (expected, &got) {
            (Some(json), Ok(v)) => parse_json(json.as_bytes()).is_ok_and(|want| &want == v),
            (None, Err(e)) => !e.starts_with("does not compile"),
            _ => false,
        };
        if !ok {
            failures.push(format!("[{suite}] `{expr}`: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), CASES.len(), failures.join("\n"));
}
