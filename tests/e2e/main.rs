//! End-to-end tests of the `actionkit` binary: build the bundled examples and run what it
//! generates under real Node 22 (the Auth0 runtime) next to the guides' hand-written snippets.

mod build; // `actionkit build`: outputs, determinism, size, bad input
mod capture; // `build --capture` under Node 22, `fixtures import`: masked, decide alike
mod cli; // one convention: arguments, --format json, --error-format json, exit codes, help
mod conformance; // the harness corpus on Boa and on Node 22: equal Outcomes
mod deploy; // `actionkit deploy` against the fake Management API
mod deploy_setup; // `[express_configuration]` setup and `actionkit doctor` against the fake
mod diff; // `actionkit diff`: the logins a policy change affects
mod differential_events; // random events: explain, the harness and Node 22 agree
mod fail_closed; // a broken engine denies Express Configure logins, never lets them through
mod fake_tenant; // the fake Management API behaves like the live one
mod fuzz_replay; // the fuzzers' corpora replayed: no panic, properties hold
mod init; // `actionkit init`: presets that check and build
mod one_event; // explain, the harness and Node 22 decide alike on the same event
mod policy_cli; // `actionkit check` / `explain` output
mod seeds; // generated Actions vs the seed snippets, under Node 22
mod ship_gate; // failing tests refuse `build` and `deploy --apply`
mod test_cmd; // `actionkit test`: snapshots, diffs, JUnit, bad fixtures
mod util; // running the binary and Node
