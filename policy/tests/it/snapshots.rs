use std::path::Path;

use policy::{compile, disasm};

#[test]
fn example_policies() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/policies");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/policies exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 5, "example policies missing: {paths:?}");
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("fixture is readable");
        let name = path.file_stem().and_then(|n| n.to_str()).unwrap_or("policy").to_string();
        let compiled = match compile(&text, &format!("{name}.toml")) {
            Ok(c) => c,
            Err(d) => panic!("{name} does not compile: {:?}", d.iter().map(|e| e.message()).collect::<Vec<_>>()),
        };
        let runs = compiled.run_tests();
        assert!(!runs.is_empty(), "{name} has no inline tests");
        for run in &runs {
            assert!(
                run.passed,
                "{name}: test `{}` failed: expected {:?}, got {:?}",
                run.name, run.expected, run.actual.decisions
            );
        }
        insta::assert_snapshot!(name, disasm::disassemble(&compiled.policy));
    }
}

/// Every complete policy in `docs/policy.md` compiles, and its inline tests pass.
#[test]
fn docs_examples_compile() {
    let doc = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/policy.md");
    let text = std::fs::read_to_string(doc).expect("docs/policy.md exists");
    let mut checked = 0;
    for block in text.split("```toml\n").skip(1) {
        let block = block.split("```").next().unwrap_or("");
        if !block.starts_with("version = 1") {
            continue;
        }
        let compiled = match compile(block, "policy.md") {
            Ok(c) => c,
            Err(d) => panic!(
                "docs example does not compile: {:?}\n{block}",
                d.iter().map(|e| e.message()).collect::<Vec<_>>()
            ),
        };
        for run in compiled.run_tests() {
            assert!(run.passed, "docs example test `{}` failed: {:?}", run.name, run.actual.decisions);
        }
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} examples found");
}

/// The rendered report of a policy with many problems: every one of them, in file order.
#[test]
fn rendered_diagnostics() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/policies/invalid/many_errors.toml");
    let text = std::fs::read_to_string(path).expect("fixture is readable");
    let Err(diags) = compile(&text, "many_errors.toml") else { panic!("the fixture must not compile") };
    let handler = miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor()).with_width(100);
    let mut out = String::new();
    for d in diags.iter() {
        handler.render_report(&mut out, d).expect("rendering to a String");
    }
    insta::assert_snapshot!(out);
}
