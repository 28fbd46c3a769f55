"""One module per `caseboard` subcommand, each with `main(argv) -> int`."""
