# Internal only: health and /metrics. Its commands reach it through NATS, not HTTP.
apiVersion: v1
kind: Service
metadata:
  name: vista-__name__
  labels:
    app.kubernetes.io/name: vista-__name__
    app.kubernetes.io/component: __name__
    app.kubernetes.io/part-of: vista
spec:
  selector:
    app.kubernetes.io/name: vista-__name__
  ports:
    - name: http
      port: __port__
      targetPort: http
