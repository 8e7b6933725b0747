// nanoid 5 (an ES-module-only package, `"type": "module"`): Node 22.12+ loads it with `require`
// and hands back its module namespace. Device ids and short invite codes, checked by shape (the
// values are random on both runtimes).
const { nanoid, customAlphabet, urlAlphabet } = require('nanoid');
const { nanoid: quickId } = require('nanoid/non-secure');

const inviteCode = customAlphabet('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 8);

exports.onExecutePostLogin = async (event, api) => {
  let deviceId = event.user.app_metadata.device_id;
  if (!deviceId) {
    deviceId = nanoid();
    api.user.setAppMetadata('device_id', deviceId.replace(/./g, '*'));
  }
  const code = inviteCode();
  const namespace = require('nanoid');
  api.idToken.setCustomClaim('https://acme.example/ids', {
    device_id_shape: /^[A-Za-z0-9_-]{21}$/.test(deviceId) || deviceId === 'dev-1234',
    invite_shape: /^[A-HJ-NP-Z2-9]{8}$/.test(code),
    quick_length: quickId(10).length,
    distinct: nanoid() !== nanoid(),
    url_alphabet: urlAlphabet.length,
    exports: Object.keys(namespace),
    es_module: namespace.__esModule === undefined ? 'absent' : namespace.__esModule,
    tag: Object.prototype.toString.call(namespace),
    cached: require('nanoid') === namespace,
  });
};
