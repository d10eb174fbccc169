from karigar.cli import command

command()
