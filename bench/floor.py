"""The floor: what no Typer + Rich program can beat. A one-command Typer app printing a one-row
Rich table, run in the same environment as nervecli (Typer imports pydantic on every run)."""

import typer

app = typer.Typer()


@app.command()
def main() -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table("treatment")
    table.add_row("ketamine")
    Console().print(table)


if __name__ == "__main__":
    app()
