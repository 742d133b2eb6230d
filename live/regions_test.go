package live

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"
)

// DescribeRegions is one SigV4-signed Query call for service ec2; the
// answer's regionName items are the enabled regions; an error answer is
// reported with its code.
func TestEnabledRegions(t *testing.T) {
	var got *http.Request
	var body string
	fail := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		b, _ := io.ReadAll(r.Body)
		body = string(b)
		if fail {
			w.WriteHeader(403)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>x</RequestID></Response>`)
			return
		}
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>
<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
  <regionInfo>
    <item><regionName>us-east-1</regionName><regionEndpoint>ec2.us-east-1.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>
    <item><regionName>af-south-1</regionName><regionEndpoint>ec2.af-south-1.amazonaws.com</regionEndpoint><optInStatus>opted-in</optInStatus></item>
    <item><regionName>eu-west-1</regionName><regionEndpoint>ec2.eu-west-1.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>
  </regionInfo>
</DescribeRegionsResponse>`)
	}))
	defer srv.Close()
	l := RegionLister{Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""), Region: "eu-west-1", Endpoint: srv.URL, HTTPClient: srv.Client()}
	regions, err := l.EnabledRegions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(regions, ",") != "af-south-1,eu-west-1,us-east-1" {
		t.Errorf("regions %v", regions)
	}
	if got.Method != http.MethodPost || body != "Action=DescribeRegions&Version=2016-11-15" {
		t.Errorf("request %s %q", got.Method, body)
	}
	if auth := got.Header.Get("Authorization"); !strings.Contains(auth, "Credential=AKIDEXAMPLE/") || !strings.Contains(auth, "/eu-west-1/ec2/aws4_request") {
		t.Errorf("Authorization %q", auth)
	}
	fail = true
	if _, err := l.EnabledRegions(context.Background()); err == nil || !strings.Contains(err.Error(), "UnauthorizedOperation") {
		t.Errorf("error answer: %v", err)
	}
}
