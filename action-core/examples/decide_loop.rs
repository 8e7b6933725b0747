//! Times a decision natively as the WASM entry point makes it (parse, decide, the Action's answer): `cargo run --release -p action-core --example decide_loop IR.json EVENT.json N`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let ir = std::fs::read(&args[1]).unwrap();
    let event = std::fs::read(&args[2]).unwrap();
    let n: usize = args[3].parse().unwrap();
    let policy = action_core::ir::decode(&ir).unwrap();
    let start = std::time::Instant::now();
    let mut bytes = 0;
    for _ in 0..n {
        let event = action_core::value::parse_json(&event).unwrap();
        bytes += action_core::decide(&policy, &event).to_action_answer().len();
    }
    if std::env::var_os("SHOW").is_some() {
        println!(
            "{}",
            action_core::decide(&policy, &action_core::value::parse_json(&event).unwrap()).to_action_answer()
        );
    }
    println!("{:.2} us per decision ({bytes} bytes)", start.elapsed().as_secs_f64() * 1e6 / n as f64);
}
