// The generated world of bench/world.ts built into a PostgreSQL database, in a process of its own (a
// process opens databases of one dialect only, and `npm run bench` has SQLite worlds open):
// `node --import tsx bench/postgres-world.ts <users> <postgres:// URL>`. Progress goes to stderr; the
// last stdout line is the World as JSON (its `file` is the URL), with the server's version.
import { buildPostgresWorld } from './world.js';

const [users, url] = process.argv.slice(2);
if (!users || !url?.startsWith('postgres')) throw new Error('usage: postgres-world.ts <users> <postgres:// URL>');
const world = await buildPostgresWorld(Number(users), url, (line) => console.error(line));
console.log(JSON.stringify(world));
