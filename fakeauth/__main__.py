from fakeauth.cli import main

main(prog_name="fakeauth")
