package views

import (
	"fmt"
	"io"
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
)

// ModelText prints the model for people: one block per API, one line
// per route with its effective authorization.
func ModelText(w io.Writer, d *spec.Description) error {
	var b strings.Builder
	for i, a := range d.APIs {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "api %q", a.Name)
		if a.Region != "" {
			fmt.Fprintf(&b, "  region=%s", a.Region)
		}
		if a.RestAPIID != "" {
			fmt.Fprintf(&b, "  rest_api_id=%s", a.RestAPIID)
		}
		b.WriteString("\n")
		if len(a.Authorizers) > 0 {
			b.WriteString("  authorizers:\n")
		}
		for _, az := range a.Authorizers {
			def := ""
			if az.Name == a.DefaultAuthorizer {
				def = " (default)"
			}
			fmt.Fprintf(&b, "    %s%s  %s  header=%s  ttl=%ds", az.Name, def, az.Type, az.IdentityHeader(), az.TTLSeconds)
			if az.ValidationExpression != "" {
				fmt.Fprintf(&b, "  aud~%s", az.ValidationExpression)
			}
			b.WriteString("\n")
			for _, arn := range az.UserPoolARNs {
				fmt.Fprintf(&b, "      pool %s\n", arn)
			}
		}
		if len(a.Routes) > 0 {
			b.WriteString("  routes:\n")
		}
		for _, r := range a.Routes {
			auth := r.AuthType
			switch {
			case r.Public:
				auth = "PUBLIC (" + r.Reason + ")"
			case r.Authorizer != "":
				auth = r.AuthType + " " + r.Authorizer
			}
			fmt.Fprintf(&b, "    %-7s %-30s %s", r.Method, r.Path, auth)
			if len(r.Scopes) > 0 {
				fmt.Fprintf(&b, "  scopes=%s (access token)", strings.Join(r.Scopes, ","))
			} else if r.AuthType == spec.AuthCognito {
				b.WriteString("  (ID token)")
			}
			if r.Integration != nil {
				fmt.Fprintf(&b, "  -> %s %s", r.Integration.Type, r.Integration.URI)
			}
			b.WriteString("\n")
		}
		if c := a.CORS; c != nil {
			fmt.Fprintf(&b, "  cors: origins=%s headers=%s\n", strings.Join(c.AllowOrigins, ","), strings.Join(c.AllowHeadersOrDefault(), ","))
		}
		for _, g := range a.GatewayResponses {
			origin := spec.Unquote(g.ResponseParameters["gatewayresponse.header.Access-Control-Allow-Origin"])
			fmt.Fprintf(&b, "  gateway response %s", g.Type)
			if g.StatusCode != "" {
				fmt.Fprintf(&b, " status=%s", g.StatusCode)
			}
			if origin != "" {
				fmt.Fprintf(&b, " allow-origin=%s", origin)
			}
			b.WriteString("\n")
		}
		for _, s := range a.Stages {
			fmt.Fprintf(&b, "  stage %s", s.Name)
			if len(s.Variables) > 0 {
				fmt.Fprintf(&b, " variables=%d", len(s.Variables))
			}
			b.WriteString("\n")
		}
	}
	for i, a := range d.HTTPAPIs {
		if i > 0 || len(d.APIs) > 0 {
			b.WriteString("\n")
		}
		httpAPIText(&b, a)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// httpAPIText is ModelText for an HTTP API (v2).
func httpAPIText(b *strings.Builder, a *spec.HTTPAPI) {
	fmt.Fprintf(b, "http_api %q", a.Name)
	if a.Region != "" {
		fmt.Fprintf(b, "  region=%s", a.Region)
	}
	if a.APIID != "" {
		fmt.Fprintf(b, "  api_id=%s", a.APIID)
	}
	b.WriteString("\n")
	if len(a.Authorizers) > 0 {
		b.WriteString("  authorizers:\n")
	}
	for _, az := range a.Authorizers {
		def := ""
		if az.Name == a.DefaultAuthorizer {
			def = " (default)"
		}
		fmt.Fprintf(b, "    %s%s  %s  source=%s\n", az.Name, def, az.Type, strings.Join(az.IdentitySources, ","))
		if az.Issuer != "" {
			fmt.Fprintf(b, "      issuer %s\n", az.Issuer)
		}
		if len(az.Audiences) > 0 {
			fmt.Fprintf(b, "      audiences %s (aud, or client_id when a token has no aud)\n", strings.Join(az.Audiences, ","))
		}
	}
	if len(a.Routes) > 0 {
		b.WriteString("  routes:\n")
	}
	for _, r := range a.Routes {
		auth := r.AuthType
		switch {
		case r.Public:
			auth = "PUBLIC (" + r.Reason + ")"
		case r.Authorizer != "":
			auth = r.AuthType + " " + r.Authorizer
		}
		fmt.Fprintf(b, "    %-38s %s", r.Key, auth)
		if len(r.Scopes) > 0 {
			fmt.Fprintf(b, "  scopes=%s (at least one)", strings.Join(r.Scopes, ","))
		} else if r.AuthType == spec.AuthJWT {
			b.WriteString("  (any token of the audiences, ID tokens included)")
		}
		if in := r.Integration; in != nil {
			fmt.Fprintf(b, "  -> %s %s (payload %s)", in.Type, in.URI, in.PayloadFormatVersion)
		}
		b.WriteString("\n")
	}
	if c := a.CORS; c != nil {
		fmt.Fprintf(b, "  cors (answered by the gateway): origins=%s methods=%s headers=%s credentials=%t\n",
			strings.Join(c.AllowOrigins, ","), strings.Join(c.AllowMethods, ","), strings.Join(c.AllowHeaders, ","), c.AllowCredentials)
	}
	for _, s := range a.Stages {
		fmt.Fprintf(b, "  stage %s", s.Name)
		if s.AutoDeploy {
			b.WriteString(" auto_deploy")
		}
		if len(s.Variables) > 0 {
			fmt.Fprintf(b, " variables=%d", len(s.Variables))
		}
		b.WriteString("\n")
	}
}
