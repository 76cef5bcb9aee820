from lms.cli.app import main

main()
