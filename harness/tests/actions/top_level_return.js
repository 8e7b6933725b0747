// Top-level `return` is legal in the CommonJS wrapper; here it skips the export.
if (true) return;
exports.onExecutePostLogin = async (event, api) => {};
