// module.exports must be an object.
module.exports = 42;
