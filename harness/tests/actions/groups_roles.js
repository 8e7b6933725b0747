// Async api namespaces resolve (empty without directory data) and validate their options.
exports.onExecutePostLogin = async (event, api) => {
  const groups = await api.groups.getUserGroups({ take: 10 });
  const roles = await api.roles.getUserEffectiveRoles();
  const membership = await api.groups.hasGroupMembership(['admins']);
  console.log(JSON.stringify({ groups, roles, membership }));
  console.log('rule ran', api.rules.wasExecuted('rul_legacy'), api.rules.wasExecuted('rul_other'));
  try {
    await api.groups.getUserGroups({ take: -1 });
  } catch (e) {
    console.log(e.message);
  }
};
