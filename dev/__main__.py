from dev.server import main

main()
