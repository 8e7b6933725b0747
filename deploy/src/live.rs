//! What the tenant has now, as far as one Action's deploy is concerned: the input of
//! [`plan`](crate::plan()).

use crate::client::Client;
use crate::resources::actions::{self, Action};
use crate::resources::triggers::{self, Binding};
use crate::DeployError;

/// The live state of one Action's deploy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Live {
    /// The Action with our name, if any.
    pub action: Option<Action>,
    /// The trigger's whole flow, in execution order.
    pub bindings: Vec<Binding>,
}

/// Reads the Action called `name` and the bindings of `trigger`.
///
/// # Errors
///
/// Any [`DeployError`] of the calls; [`DeployError::Config`] if two Actions share the name.
pub fn read_live(client: &Client, name: &str, trigger: &str) -> Result<Live, DeployError> {
    Ok(Live { action: actions::find_by_name(client, name)?, bindings: triggers::bindings(client, trigger)? })
}
