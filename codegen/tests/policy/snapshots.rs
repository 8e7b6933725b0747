use codegen::policy::{compile, disasm};

#[test]
fn example_policies() {
    insta::glob!("../policies/*.toml", |path| {
        let text = std::fs::read_to_string(path).expect("fixture is readable");
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("policy.toml");
        let compiled = match compile(&text, name) {
            Ok(c) => c,
            Err(d) => panic!("{name} does not compile: {:?}", d.iter().map(|e| e.message()).collect::<Vec<_>>()),
        };
        let runs = compiled.run_tests();
        for run in &runs {
            assert!(run.passed, "{name}: test `{}` failed: expected {:?}, got {:?}", run.name, run.expected, run.actual.decisions);
        }
        assert!(!runs.is_empty(), "{name} has no inline tests");
        insta::assert_snapshot!(disasm::disassemble(&compiled.policy));
    });
}
