from ppncheck.cli import main

main()
