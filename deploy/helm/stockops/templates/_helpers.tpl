{{/* Names and labels shared by the templates. */}}
{{- define "stockops.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "stockops.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "stockops.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end -}}

{{- define "stockops.secretName" -}}
{{- default (printf "%s-secret" (include "stockops.fullname" .)) .Values.existingSecret -}}
{{- end -}}

{{/* The environment every stockops container gets: the ConfigMap, the Secret, and its instance name. */}}
{{- define "stockops.env" -}}
envFrom:
  - configMapRef:
      name: {{ include "stockops.fullname" . }}-config
  - secretRef:
      name: {{ include "stockops.secretName" . }}
env:
  - name: STOCKOPS_INSTANCE
    valueFrom:
      fieldRef:
        fieldPath: metadata.name
{{- end -}}
