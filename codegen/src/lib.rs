//! The generator of actionkit (work in progress): policy compiler, Action renderer, deploy.
