{{- define "neuromesh.fullname" -}}
{{- printf "%s-neuromesh" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "neuromesh.labels" -}}
app.kubernetes.io/name: neuromesh
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "neuromesh.selectorLabels" -}}
app.kubernetes.io/name: neuromesh
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: silo
{{- end -}}

{{- define "neuromesh.secretName" -}}
{{- if .Values.postgres.existingSecret -}}
{{- .Values.postgres.existingSecret -}}
{{- else -}}
{{- printf "%s-postgres" (include "neuromesh.fullname" .) -}}
{{- end -}}
{{- end -}}
