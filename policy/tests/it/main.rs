//! Integration tests of the policy compiler (one binary, one module per area).

// Lowering snapshots: the IR disassembly of every example policy, and its inline tests.
mod snapshots;
// Differential property test: the `cel` crate's interpreter vs the compiled IR on the engine.
mod differential;
// A table of cel-spec conformance cases for the subset.
mod conformance;
// Soundness of the `has()` guard check: accepted conditions never read absent attributes.
mod guards;
