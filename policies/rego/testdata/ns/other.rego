package main

deny contains "main namespace must not run" if true
