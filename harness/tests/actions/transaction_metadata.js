// transaction.setMetadata updates event.transaction.metadata at once and validates values.
exports.onExecutePostLogin = async (event, api) => {
  api.transaction.setMetadata('risk', 'low');
  api.transaction.setMetadata('attempts', 2);
  api.transaction.setMetadata('stale', null);
  console.log('live', JSON.stringify(event.transaction.metadata));
  for (const [key, value] of [['obj', { a: 1 }], ['big', 2 ** 60], ['k'.repeat(65), 'v']]) {
    try {
      api.transaction.setMetadata(key, value);
    } catch (e) {
      console.log(e.message);
    }
  }
  try {
    api.transaction.addTargetScope('read');
  } catch (e) {
    console.log(e.message);
  }
};
