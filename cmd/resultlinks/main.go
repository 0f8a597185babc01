// Command resultlinks is the result-link gateway: an API server that speaks
// Kombo's unified ATS API and writes assessment results into applicant
// tracking systems, with the commands to run and manage it.
package main

import "github.com/resultlinks/resultlinks/internal/cli"

func main() { cli.Main() }
