// npm run token -- <email> [name]: prints one development token and nothing else.
import { mintDevelopmentToken } from '../auth/tokens.js';
import { loadConfig } from '../config.js';

const [email, ...nameParts] = process.argv.slice(2);
if (!email) {
  console.error('usage: npm run -s token -- <email> [name]');
  process.exit(2);
}
try {
  const config = loadConfig();
  const name = nameParts.join(' ').trim();
  process.stdout.write(`${await mintDevelopmentToken(config.auth, email, name || undefined)}\n`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
