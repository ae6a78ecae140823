from nervecli.entry import main

main()
