//! Actions (`/actions/actions`): an Action with its draft, creating and updating it, and
//! deploying the draft as a new version. Parsing is lenient (unknown fields ignored, most
//! fields defaulted): the live API returns more than its spec (`current_version`,
//! `registry_url`) and omits keys on some pages.

use serde::{Deserialize, Serialize, Serializer};
use serde_json::json;

use super::{encode, offset_pages, parse, read, read_list};
use crate::client::{Client, Idempotent};
use crate::{DeployError, Secret};

/// `supported_triggers` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriggerRef {
    /// Trigger id, e.g. `post-login`.
    pub id: String,
    /// Trigger version, e.g. `v3`.
    pub version: String,
}

/// An npm dependency of an Action (`registry_url` ignored: Auth0 drops it once built).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dependency {
    /// Package name.
    pub name: String,
    /// Version.
    pub version: String,
}

/// A secret as the API returns it: the name only, never the value.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SecretName {
    /// The name.
    pub name: String,
}

/// A secret as a create or update sends it, with its value. `Debug` shows the value as
/// [`Secret`] does: redacted.
#[derive(Debug, Clone, Serialize)]
pub struct SecretValue<'a> {
    /// The name.
    pub name: &'a str,
    /// The value.
    #[serde(serialize_with = "expose")]
    pub value: &'a Secret,
}

fn expose<S: Serializer>(secret: &&Secret, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(secret.expose())
}

/// An Action version (`deployed_version`, or the answer to a deploy).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Version {
    /// Version id.
    pub id: String,
    /// Version number, increasing per deploy.
    #[serde(default)]
    pub number: u64,
    /// Whether this version is the one bound flows run.
    #[serde(default)]
    pub deployed: bool,
    /// Its code, when the answer carries it (version lists and `deployed_version` do).
    #[serde(default)]
    pub code: Option<String>,
}

/// An Action with its draft.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Action {
    /// Action id.
    pub id: String,
    /// Action name.
    pub name: String,
    /// Triggers (exactly one in practice).
    #[serde(default)]
    pub supported_triggers: Vec<TriggerRef>,
    /// The draft's code.
    #[serde(default)]
    pub code: String,
    /// The draft's dependencies.
    #[serde(default)]
    pub dependencies: Vec<Dependency>,
    /// The draft's runtime.
    #[serde(default)]
    pub runtime: Option<String>,
    /// The draft's secret names.
    #[serde(default)]
    pub secrets: Vec<SecretName>,
    /// Build status of the draft: `pending`, `building`, `packaged`, `built`, `retrying`, `failed`.
    #[serde(default)]
    pub status: String,
    /// Whether the draft equals the deployed version.
    #[serde(default)]
    pub all_changes_deployed: bool,
    /// The deployed version, absent until the first deploy.
    #[serde(default)]
    pub deployed_version: Option<Version>,
}

/// The body of `POST /actions/actions`.
#[derive(Debug, Clone, Serialize)]
pub struct NewAction<'a> {
    /// The name.
    pub name: &'a str,
    /// The trigger (one).
    pub supported_triggers: &'a [TriggerRef],
    /// The code.
    pub code: &'a str,
    /// The runtime.
    pub runtime: &'a str,
    /// npm dependencies.
    pub dependencies: &'a [Dependency],
    /// The secrets, when there are any: left out rather than `[]` (an empty list is what
    /// erases secrets, so it is never sent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secrets: Option<Vec<SecretValue<'a>>>,
}

/// The body of `PATCH /actions/actions/{id}`: only the fields that change. `secrets`, when
/// sent, replaces the whole list; left out, the tenant keeps its values.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ActionUpdate<'a> {
    /// The draft's new code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'a str>,
    /// The new runtime.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime: Option<&'a str>,
    /// The new trigger.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supported_triggers: Option<&'a [TriggerRef]>,
    /// The new npm dependencies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dependencies: Option<&'a [Dependency]>,
    /// The whole new secrets list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secrets: Option<Vec<SecretValue<'a>>>,
}

const ACTIONS: &str = "/actions/actions";

/// `/actions/actions/{id}`.
pub(crate) fn path(id: &str) -> String {
    format!("{ACTIONS}/{}", encode(id))
}
/// Per-page size of the name lookup (the name filter leaves one match, or a duplicate).
const PER_PAGE: usize = 50;

/// Finds the Action called `name` (`?actionName=` filters server-side; we still check names).
///
/// # Errors
///
/// Any [`DeployError`] of the call; [`DeployError::Config`] if two Actions share the name.
pub fn find_by_name(client: &Client, name: &str) -> Result<Option<Action>, DeployError> {
    let path = format!("{ACTIONS}?actionName={}&per_page={PER_PAGE}", encode(name));
    let actions: Vec<Action> = read_list(client, &path, "actions")?;
    let mut matching = actions.into_iter().filter(|a| a.name == name);
    let found = matching.next();
    if matching.next().is_some() {
        return Err(DeployError::config(
            format!("the tenant has more than one Action named `{name}`"),
            "actionkit identifies its Action by name; rename or delete the duplicate in the dashboard",
        ));
    }
    Ok(found)
}

/// Reads the Action with id `id` (each read also tells how its build is going).
///
/// # Errors
///
/// Any [`DeployError`] of the call.
pub fn get(client: &Client, id: &str) -> Result<Action, DeployError> {
    read(client, &format!("{ACTIONS}/{}", encode(id)))
}

/// Creates an Action. Not retried after a 5xx or timeout: it may have landed (look it up by
/// name before creating again).
///
/// # Errors
///
/// Any [`DeployError`] of the call.
pub fn create(client: &Client, action: &NewAction<'_>) -> Result<Action, DeployError> {
    parse(client.post(ACTIONS, action, Idempotent::No)?, "POST", ACTIONS)
}

/// Updates the draft of the Action `id` (the draft goes back to building).
///
/// # Errors
///
/// Any [`DeployError`] of the call.
pub fn update(client: &Client, id: &str, update: &ActionUpdate<'_>) -> Result<(), DeployError> {
    client.patch(&format!("{ACTIONS}/{}", encode(id)), update)?;
    Ok(())
}

/// Rolls the Action `id` back to its version `version_id`: Auth0 makes a new version with that
/// version's code and deploys it (the draft stays). Live once [`get`] shows it deployed.
///
/// # Errors
///
/// Any [`DeployError`] of the call (404 for an unknown version).
pub fn deploy_version(client: &Client, id: &str, version_id: &str) -> Result<Version, DeployError> {
    let path = format!("{ACTIONS}/{}/versions/{}/deploy", encode(id), encode(version_id));
    // Like a deploy: a repeat only mints an extra version number with the same code.
    parse(client.post(&path, &json!({}), Idempotent::Yes)?, "POST", &path)
}

/// Every version of the Action `id`, newest first (Auth0 keeps the last 50).
///
/// # Errors
///
/// Any [`DeployError`] of the calls.
pub fn versions(client: &Client, id: &str) -> Result<Vec<Version>, DeployError> {
    offset_pages(client, &format!("{ACTIONS}/{}/versions", encode(id)), "versions", 50, 10)
}

/// Deploys the built draft of the Action `id` as a new version. The answer says
/// `deployed: false`; the version is live once [`get`] shows it deployed.
///
/// # Errors
///
/// Any [`DeployError`] of the call (400 if the draft is not built).
pub fn deploy(client: &Client, id: &str) -> Result<Version, DeployError> {
    let path = format!("{ACTIONS}/{}/deploy", encode(id));
    // A repeated deploy of the same built draft only mints an extra version number, so it is
    // safe to retry after a 5xx.
    parse(client.post(&path, &json!({}), Idempotent::Yes)?, "POST", &path)
}
