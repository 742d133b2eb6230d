package probe

import "strings"

// InvokeURL is the stage's URL on AWS [DG:how-to-call-api].
func InvokeURL(apiID, region, stage string) string {
	return "https://" + apiID + ".execute-api." + region + ".amazonaws.com/" + stage
}

// LocalInvokeURL is the stage's URL on the local gateway (or LocalStack)
// at endpoint: the path-style form both serve.
func LocalInvokeURL(endpoint, apiID, stage string) string {
	return strings.TrimRight(endpoint, "/") + "/restapis/" + apiID + "/" + stage + "/_user_request_"
}
