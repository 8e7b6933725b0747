//! The test runtime of actionkit (work in progress): runs Action files on Boa.
