// Dev only: signs a bank file as the demo bank would, so it pays at import —
//   npm run demo:sign-bank-file -- FILE.csv      (writes FILE.csv.sig, base64 Ed25519 over the file's bytes)
// The key pair lives in the dev data folder (.data/dev, LOCAL_DATA_DIR), made on first use; `npm start` gives the
// service its public half as BANK_FILE_PUBLIC_KEY_FILE. Refused in production: there only the bank signs.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../services/dev-environment";
import { ensureDemoBankFileKey, readPrivateKey, signBankFile } from "./bank-file-signer";

function main(argv: string[]): number {
  if (process.env.NODE_ENV === "production") {
    console.error("demo:sign-bank-file: the demo bank exists in development only");
    return 2;
  }
  if (argv.length !== 1 || argv[0]!.startsWith("-")) {
    console.error("usage: npm run demo:sign-bank-file -- FILE.csv");
    return 2;
  }
  const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), argv[0]!);
  let content: Buffer;
  try {
    content = readFileSync(file);
  } catch {
    console.error(`demo:sign-bank-file: cannot read ${argv[0]}`);
    return 2;
  }
  const keys = ensureDemoBankFileKey(path.resolve(repoRoot, process.env.LOCAL_DATA_DIR ?? ".data/dev"));
  writeFileSync(`${file}.sig`, signBankFile(content, readPrivateKey(keys)));
  console.log(`${argv[0]}.sig written (Ed25519, base64; demo bank key ${path.relative(repoRoot, keys.publicKeyFile)})`);
  console.log(`import it: npm run finance:import-bank -- ${argv[0]} --signature ${argv[0]}.sig`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
