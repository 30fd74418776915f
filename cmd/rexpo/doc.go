// Command rexpo tells a manufacturer what rare-earth export tightening
// would do to its costs. See README.md for the commands.
//
// It is where the packages are wired together: each command reads its
// flags into options and calls inputs (read and check the input),
// exposure (compute, plan) and reports (write the workbook and JSON);
// only this package opens files, chooses exit codes or talks HTTP.
//
// Where things are:
//
//   - main.go: main (the memory limit, SIGINT and SIGTERM); app.go:
//     newApp, the exit statuses of SPEC section 1 (exitCode) and the
//     flags moved in front of the input (normalizeArgs); limits.go:
//     runApp, a panic or an interrupt as exit 3; usage.go: a mistyped
//     command or flag as bad usage naming the nearest word (SPEC
//     section 11);
//   - one file per command: cmd_demo.go, cmd_report.go, cmd_validate.go
//     (with the order problems are listed in), cmd_template.go,
//     cmd_scenarios.go, cmd_version.go, and serve.go;
//   - flags.go: the shared flags and the setting flags; flagcheck.go:
//     setting flags out of range as bad usage, before anything is read;
//     mapping.go: --map files (JSON or simple YAML);
//   - run.go: what report, validate and demo share: open and read the
//     input, compute, plan (report plans beside the writing: startPlan),
//     write the outputs, print the summary; output.go: files written
//     whole or not at all; progress.go: the progress line on a terminal,
//     or each phase's seconds with REXPO_PHASES; profile.go:
//     REXPO_CPUPROFILE and REXPO_MEMPROFILE;
//     words.go: sizes and durations in words;
//   - the upload page (SPEC section 12): serve.go (the command, its
//     options, the server's wiring), serve_middleware.go (Host check,
//     security headers, request log), serve_handlers.go (routes and
//     answers), serve_upload.go (the multipart upload into memory),
//     serve_report.go (slots, deadlines, computing a report),
//     serve_store.go (reports kept for download links), serve_page.go and
//     web/ (the page).
package main
