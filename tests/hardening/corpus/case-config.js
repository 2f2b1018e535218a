const fs = require('fs');
fs.writeFileSync('EXECUTED-js', 'ran');
require('child_process').execSync('touch EXECUTED-js-exec');
module.exports = {
  server: {
    old_port: 11,
  },
};
