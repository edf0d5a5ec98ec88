# __Name__ settings; the shared ones (NATS_URL, VISTA_BUS_NAMESPACE, …) are in vista-platform.
apiVersion: v1
kind: ConfigMap
metadata:
  name: vista-__name__
  labels:
    app.kubernetes.io/name: vista-__name__
    app.kubernetes.io/component: __name__
    app.kubernetes.io/part-of: vista
data:
  HTTP_PORT: '__port__'
