from counterparty.cli.main import cli

cli()
