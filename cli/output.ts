/** What commands print for the person: one line on stdout (errors go through cli/errors.ts). */
export type Out = (line?: string) => void;

export const out: Out = (line = '') => {
  process.stdout.write(`${line}\n`);
};
