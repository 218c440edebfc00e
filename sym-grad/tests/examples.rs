//! The newcomer examples run as tests, so that they cannot rot: each checks its own numbers
//! (training converges to the true parameter; every sensitivity agrees with a central difference)
//! and fails with an error otherwise.

#[path = "../examples/train_rootof.rs"]
mod train_rootof;

#[path = "../examples/equation_of_state.rs"]
mod equation_of_state;

#[test]
fn training_through_a_root_of_converges() {
    train_rootof::main().unwrap();
}

#[test]
fn equation_of_state_sensitivities_match_central_differences() {
    equation_of_state::main().unwrap();
}
