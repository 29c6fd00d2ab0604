import { loadConfig, ConfigError } from './config.js';

const usage = `Usage: pixelunion <command>

Commands:
  serve                                  run the server (the default); PIXELUNION_ROLE=api runs
                                         only the HTTP API, PIXELUNION_ROLE=worker only the jobs
  worker                                 the same as PIXELUNION_ROLE=worker pixelunion serve
  openapi                                print the OpenAPI document
  upload <paths...> --server URL --api-key KEY
                                         upload files and folders to a server
  import-takeout <parts...> --server URL --api-key KEY [--json] [--state FILE]
                                         import a Google Takeout or a PixelUnion export;
                                         run it again to continue an interrupted import
  export --server URL --api-key KEY --out DIR [--part-size BYTES]
                                         download everything: originals and all their data;
                                         run it again to continue an interrupted download
`;

async function main(argv: string[]): Promise<number> {
  const [command = 'serve', ...rest] = argv;
  switch (command) {
    case 'serve': {
      const { serve } = await import('./serve.js');
      await serve(loadConfig());
      return -1;
    }
    case 'worker': {
      const { serve } = await import('./serve.js');
      await serve(loadConfig({ ...process.env, PIXELUNION_ROLE: 'worker' }));
      return -1;
    }
    case 'openapi': {
      const { printOpenApi } = await import('./openapi.js');
      await printOpenApi();
      return 0;
    }
    case 'upload': {
      const { runUploadCommand } = await import('./cli/upload.command.js');
      return runUploadCommand(rest);
    }
    case 'import-takeout': {
      const { runTakeoutCommand } = await import('./cli/takeout.command.js');
      return runTakeoutCommand(rest);
    }
    case 'export': {
      const { runExportCommand } = await import('./cli/export.command.js');
      return runExportCommand(rest);
    }
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(usage);
      return 0;
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${usage}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
