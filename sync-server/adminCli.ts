/**
 * `npm run admin -- <command>`: the first administrator, and a way back in when nobody can sign in.
 * Works on the server's database directly (stop the server or not: SQLite WAL allows both), through the
 * same Organisation functions as the admin screen.
 *
 *   npm run admin -- add-admin --username ana.lee --name "Ana Lee"     (asks for the password, or reads
 *   npm run admin -- reset-password --username ana.lee                  FIELDNOTES_PASSWORD when set)
 *   npm run admin -- deactivate --username sw.ahmed
 *   npm run admin -- set-email --username sw.ahmed --email yusuf.ahmed@council.gov.uk   (--email "" removes it)
 *   npm run admin -- list
 *   npm run admin -- backup <file>           a consistent copy of the database, while the server runs
 *   npm run admin -- restore <file>          a backup into a stopped server's data directory
 *   npm run admin -- dev-certificate <host>  a local certificate authority and a certificate for <host>
 *   npm run admin -- set-organisation --name "Anytown Council" --marking OFFICIAL-SENSITIVE
 *   npm run admin -- rebuild-reports         the reports' read model, again from every stored document
 */
import fs from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { emailField } from '../domain/admin';
import { roleLabels } from '../domain/directory';
import { configFromEnv } from './config';
import { backupTo, restoreFrom } from './backup';
import { databaseFile, DatabaseRefused, openDatabase } from './database';
import { makeDevCertificate } from './devCertificate';
import { Organisation, OrganisationError } from './organisation';
import { Access } from './access';
import { SqliteDocumentStore } from './persistence/sqliteStore';
import { RecordFacts, storedValuesFrom } from './recordFacts';
import { Sessions } from './sessions';

const USAGE = `Usage:
  npm run admin -- add-admin --username <username> --name "<full name>"
  npm run admin -- reset-password --username <username>
  npm run admin -- deactivate --username <username>
  npm run admin -- set-email --username <username> --email <address or "">
  npm run admin -- list
  npm run admin -- backup <file>             (the server may be running)
  npm run admin -- restore <file>            (stop the server first)
  npm run admin -- dev-certificate <host name or IP> [--dir <directory>]   (default ./certificates)
  npm run admin -- set-organisation [--name "<organisation's name>"] [--marking "<protective marking>"]
  npm run admin -- rebuild-reports           (the server may be running)
The password is read from FIELDNOTES_PASSWORD, or asked for. The database is FIELDNOTES_DATA_DIR (default ./data).`;

async function askPassword(): Promise<string> {
  if (process.env.FIELDNOTES_PASSWORD) return process.env.FIELDNOTES_PASSWORD;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question('Password (at least 8 characters): ');
  } finally {
    rl.close();
  }
}

export async function runAdminCli(argv: string[], dataDir = configFromEnv().dataDir): Promise<string> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { username: { type: 'string' }, name: { type: 'string' }, dir: { type: 'string' }, marking: { type: 'string' }, email: { type: 'string' } } });
  const [command, argument] = positionals;
  // These three must not open (and so migrate or create) the database the way the others do.
  if (command === 'restore') {
    if (!argument) throw new OrganisationError(USAGE);
    const { replaced } = restoreFrom(argument, dataDir);
    return `Restored ${argument} into ${dataDir}.${replaced ? ` The database it replaced is kept as ${replaced}.` : ''} Start the server: devices send again whatever they hold that the backup lacks.`;
  }
  if (command === 'dev-certificate') {
    if (!argument) throw new OrganisationError(USAGE);
    const made = makeDevCertificate(argument, values.dir ?? 'certificates');
    return [
      made.newAuthority ? `Made a certificate authority: ${made.caCertFile} (install and trust this one on each tablet; keep ${made.caKeyFile} private).` : `Used the existing certificate authority ${made.caCertFile}.`,
      `Made a certificate for ${argument}: ${made.certFile} and its key ${made.keyFile}. Start the server with`,
      `  FIELDNOTES_TLS_CERT=${made.certFile} FIELDNOTES_TLS_KEY=${made.keyFile} HOST=0.0.0.0 npm start`,
      `and open https://${argument}:<port> on the tablet.`,
    ].join('\n');
  }
  if (command === 'backup') {
    if (!argument) throw new OrganisationError(USAGE);
    if (!fs.existsSync(databaseFile(dataDir))) throw new OrganisationError(`There is no database in ${dataDir} to back up.`);
    const source = openDatabase(dataDir);
    try {
      const result = await backupTo(source, argument, 'another-process');
      return `Backed up ${dataDir} to ${result.file}: ${(result.bytes / 1024 / 1024).toFixed(1)} MiB in ${result.ms} ms, integrity check ok.`;
    } finally {
      source.close();
    }
  }
  const db = openDatabase(dataDir);
  const organisation = new Organisation(db);
  const sessions = new Sessions(db, { accessMs: 1, refreshMs: 1 });
  try {
    const account = () => {
      if (!values.username) throw new OrganisationError('Give --username.');
      const found = organisation.findUserByUsername(values.username);
      if (!found) throw new OrganisationError(`There is nobody with the username "${values.username}".`);
      return found;
    };
    switch (command) {
      case 'add-admin': {
        if (!values.username || !values.name) throw new OrganisationError('Give --username and --name.');
        await organisation.addUser({ username: values.username, displayName: values.name, role: 'admin', password: await askPassword() });
        return `Added ${values.name} (${values.username}) as an administrator.`;
      }
      case 'set-organisation': {
        if (values.name === undefined && values.marking === undefined) throw new OrganisationError('Give --name, --marking or both.');
        const settings = organisation.setSettings({ name: values.name, marking: values.marking });
        return `The organisation is "${settings.name}"; its records are marked ${settings.marking}.`;
      }
      case 'reset-password': {
        const user = account();
        await organisation.resetPassword(user.id, await askPassword());
        sessions.revokeAllFor(user.id, 'password reset');
        return `Reset the password of ${user.displayName}; their devices must sign in again.`;
      }
      case 'deactivate': {
        const user = account();
        organisation.changeUser(user.id, { active: false });
        sessions.revokeAllFor(user.id, 'deactivated');
        return `Deactivated ${user.displayName}. (A running server also cuts their live connections when this is done from the admin screen.)`;
      }
      case 'set-email': {
        const user = account();
        if (values.email === undefined) throw new OrganisationError('Give --email (or --email "" to remove it).');
        const email = emailField.safeParse(values.email);
        if (!email.success) throw new OrganisationError(email.error.issues[0]!.message);
        organisation.changeUser(user.id, { email: email.data });
        return email.data ? `Urgent notices for ${user.displayName} now also go to ${email.data}.` : `${user.displayName} no longer gets urgent notices by email.`;
      }
      case 'rebuild-reports': {
        const access = new Access(db);
        const facts = new RecordFacts({ db, access, storedValues: storedValuesFrom(access, new SqliteDocumentStore(db)) });
        const started = performance.now();
        const count = await facts.rebuild();
        return `Rebuilt the reports' read model from the stored documents: ${count} finished records in ${Math.round(performance.now() - started)} ms.`;
      }
      case 'list':
        return organisation
          .accounts()
          .map((a) => `${a.username.padEnd(14)} ${a.displayName.padEnd(18)} ${roleLabels[a.role]}${a.active ? '' : ' (deactivated)'}`)
          .join('\n');
      default:
        throw new OrganisationError(USAGE);
    }
  } finally {
    db.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runAdminCli(process.argv.slice(2)).then(
    (message) => console.log(message),
    (error: unknown) => {
      console.error(error instanceof OrganisationError || error instanceof DatabaseRefused ? error.message : error);
      process.exit(1);
    },
  );
}
