// Customer style: country and IP-range rules from secrets (JSON and CIDR text), with the
// decision logged for the audit trail.
function ipToInt(ip) {
  return ip.split('.').reduce((acc, part) => (acc << 8) + Number(part), 0) >>> 0;
}
function inCidr(ip, cidr) {
  const [range, bits] = cidr.split('/');
  const mask = bits === '0' ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  return (ipToInt(ip) & mask) === (ipToInt(range) & mask);
}
exports.onExecutePostLogin = async (event, api) => {
  const allowedCountries = JSON.parse(event.secrets.ALLOWED_COUNTRIES);
  const officeRanges = event.secrets.OFFICE_CIDRS.split(/\s*,\s*/);
  const ip = event.request.ip;
  const country = event.request.geoip.countryCode;
  const office = officeRanges.some((cidr) => inCidr(ip, cidr));
  console.log(`ip=${ip} country=${country} office=${office}`);
  if (!office && !allowedCountries.includes(country)) {
    return api.access.deny(`Sign-in from ${event.request.geoip.countryName} is not allowed`);
  }
  api.accessToken.setCustomClaim('https://acme.example/network', office ? 'office' : 'remote');
};
