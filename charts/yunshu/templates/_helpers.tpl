{{/*
The names are fixed, not derived from the release name: the admission
policies in crds/ exempt exactly system:serviceaccount:yunshu-system:yunshu-operator,
and crds/operator-clusterrole.yaml names the ClusterRole yunshu-operator.
*/}}
{{- define "yunshu.namespace" -}}yunshu-system{{- end -}}
{{- define "yunshu.name" -}}yunshu-operator{{- end -}}
{{/*
Where member clusters' kubeconfig Secrets live; fixed as well, since the
admission policy that keeps token Secrets out of it (crds/credential-policies.yaml)
names it and the operator reads its kubeconfigs there.
*/}}
{{- define "yunshu.credentialsNamespace" -}}yunshu-clusters{{- end -}}

{{/*
Stops the render in any other namespace: there the operator would run under
an identity the admission policies do not exempt, and every write to a
department's quota, limit range, network policy or RoleBinding would be
refused.
*/}}
{{- define "yunshu.checkNamespace" -}}
{{- if ne .Release.Namespace (include "yunshu.namespace" .) -}}
{{- fail (printf "yunshu must be installed into namespace %s, not %q: its admission policies let only the ServiceAccount system:serviceaccount:%s:%s change the objects yunshu manages. Run: helm install %s <chart> --namespace %s --create-namespace" (include "yunshu.namespace" .) .Release.Namespace (include "yunshu.namespace" .) (include "yunshu.name" .) .Release.Name (include "yunshu.namespace" .)) -}}
{{- end -}}
{{- end -}}

{{/*
The chart sets these flags itself, and the rest of the chart depends on them:
the leader-election Role allows only the Lease yunshu-system/yunshu-operator,
probes and the Service use port 8080, and logLevel sets the level. Metrics
stay behind authorization: :8080 is reachable from every pod in the cluster.
*/}}
{{- define "yunshu.checkExtraArgs" -}}
{{- range .Values.extraArgs -}}
{{- if regexMatch "^--(leader-elect|leader-election-namespace|leader-election-id|http-bind-address|log-level|metrics-auth|tls-cert-file|tls-private-key-file)(=|$)" . -}}
{{- fail (printf "extraArgs: %s is set by the chart itself (leader election on the Lease %s/yunshu-operator, which is all its Role allows; --http-bind-address=:8080, which the probes and the Service use; --log-level from logLevel; /metrics only for callers allowed by the ClusterRole yunshu-metrics-reader; TLS from tls.secretName)" . (include "yunshu.namespace" $)) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "yunshu.selectorLabels" -}}
app.kubernetes.io/name: yunshu
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end -}}

{{- define "yunshu.labels" -}}
{{ include "yunshu.selectorLabels" . }}
app.kubernetes.io/part-of: yunshu
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "yunshu.image" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ $tag }}
{{- end -}}
{{- end -}}
