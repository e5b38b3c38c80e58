/**
 * `personaact secrets keygen` (a new key for PERSONAACT_SECRET_KEY) and `personaact codec-server`
 * (the endpoint the Temporal Web UI calls to show encrypted payloads).
 */
import { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { startCodecServer, DEFAULT_UI_ORIGINS } from '../../secrets/codec-server';
import { ensureTokenFile } from '../../secrets/private-file';
import { requireKeyring, resolveSecrets } from '../../secrets/config';
import { generateSecretKey } from '../../secrets/keyring';
import { EncryptionCodec } from '../../secrets/payload-codec';
import { port } from '../arguments';
import { cliConfig } from '../config';
import { out } from '../output';


export function registerSecretsCommand(program: Command): void {
  const secrets = program.command('secrets').description('keys that encrypt account cookies and Temporal payloads');
  secrets
    .command('keygen')
    .description('print a new random 32-byte key (base64) for PERSONAACT_SECRET_KEY')
    .addHelpText('after', `
Examples:
  export PERSONAACT_SECRET_KEY=$(personaact secrets keygen)
  personaact secrets keygen > secret.key && chmod 600 secret.key   # then PERSONAACT_SECRET_KEY_FILE=secret.key

Every worker and CLI of a deployment needs the same key. To rotate: make a new key, move the old
one to PERSONAACT_PREVIOUS_SECRET_KEYS (comma-separated) so what it encrypted still reads.`)
    .action(() => {
      out(generateSecretKey());
    });
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

export function registerCodecServerCommand(program: Command): void {
  program
    .command('codec-server')
    .description('serve the remote codec endpoint (POST /encode, /decode) so the Temporal UI shows encrypted payloads')
    .option('--port <port>', 'port to listen on', port, 8234)
    .option('--host <host>', 'address to listen on (anyone who reaches it can decrypt)', '127.0.0.1')
    .option('--ui-origin <url>', `a Temporal UI origin allowed to call it (repeatable; default ${DEFAULT_UI_ORIGINS.join(', ')})`, collect)
    .option('--token-file <file>', 'file holding the token every request must carry (created, mode 0600, if missing; refused if others can read it); default: a fresh token for this run')
    .addHelpText('after', `
Needs the key (PERSONAACT_SECRET_KEY or PERSONAACT_SECRET_KEY_FILE, plus PERSONAACT_PREVIOUS_SECRET_KEYS
after a rotation). Then point the UI at it: in the Temporal UI, the "Data Encoder" setting (top
right), or start the server with \`temporal server start-dev --ui-codec-endpoint <endpoint>\`.
The endpoint is http://127.0.0.1:8234/<token>: it decrypts, so it answers only requests that carry
its token (in that path, or as \`Authorization: Bearer <token>\`). The temporal CLI takes it too:
\`temporal workflow show --codec-endpoint <endpoint> ...\`. \`personaact dev up --encrypt-payloads\`
keeps the token in <data>/codec.token and gives the UI the endpoint.`)
    .action(async (options: { port: number; host: string; uiOrigin?: string[]; tokenFile?: string }) => {
      const keyring = requireKeyring(resolveSecrets(cliConfig()), 'the codec server decrypts with it');
      const server = await startCodecServer({
        codecs: [new EncryptionCodec({ keyring, encrypt: true })],
        host: options.host,
        port: options.port,
        origins: options.uiOrigin ?? DEFAULT_UI_ORIGINS,
        token: options.tokenFile ? ensureTokenFile(options.tokenFile, '--token-file') : randomBytes(24).toString('base64url'),
        onError: (message) => process.stderr.write(`[codec-server] ${message}\n`),
      });
      out(`Codec server on ${server.url} (key ${keyring.current.id}; decrypts ${keyring.keyIds.join(', ')}).`);
      out(`Temporal UI: set the codec endpoint to ${server.endpoint} (it holds the token: keep it private). Ctrl-C stops it.`);
      await new Promise<void>((resolve) => {
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
      });
      await server.close();
    });
}
