from nervecli.cli import main

main()
